//! The web layer shared by the API and the pages: request extractors (`extract`), and the pages
//! embedded in the binary (`jukir` for attendants, `dishub` for Dishub staff, `cek` for citizens, `card` for the printed KTA) with their assets
//! and the one way they are served (`pages`).

pub mod card;
pub mod cek;
pub mod dishub;
pub mod extract;
pub mod html;
pub mod jukir;
pub mod pages;
