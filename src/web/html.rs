//! Text made safe for HTML, for the pages the server renders (the citizen check, the KTA card).

/// Text for HTML: the five characters that could end an element or an attribute.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
