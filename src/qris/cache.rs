//! A bounded cache of renderings (PNG, SVG, posters), keyed by a hash of what they depend on,
//! with the strong ETag that key gives.

use std::collections::HashMap;
use std::sync::Mutex;

use bytes::Bytes;
use sha2::{Digest, Sha256};

/// A finished rendering and its strong ETag.
#[derive(Clone)]
pub struct Rendered {
    pub etag: String,
    pub content_type: &'static str,
    pub bytes: Bytes,
}

/// Renders keyed by what they depend on; cleared when full (renders are cheap to redo, the
/// cache only spares a busy poster page or phone poll).
#[derive(Default)]
pub struct RenderCache {
    entries: Mutex<HashMap<String, Rendered>>,
}

const CACHE_ENTRIES: usize = 1024;

impl RenderCache {
    /// The cached rendering for `inputs`, or `render()` stored under it.
    pub fn get_or_render(
        &self,
        inputs: &str,
        content_type: &'static str,
        render: impl FnOnce() -> Result<Vec<u8>, String>,
    ) -> Result<Rendered, String> {
        let key = hex::encode(Sha256::digest(inputs.as_bytes()));
        if let Some(hit) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(hit);
        }
        let bytes = render()?;
        let rendered = Rendered {
            etag: format!("\"{}\"", &key[..32]),
            content_type,
            bytes: Bytes::from(bytes),
        };
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= CACHE_ENTRIES {
                map.clear();
            }
            map.insert(key, rendered.clone());
        }
        Ok(rendered)
    }
}
