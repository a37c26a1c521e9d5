//! An attendant's photo (SPEC §16): an upload from a phone or a scanner, checked from its
//! header before a pixel is decoded, then decoded with the `image` crate under limits, turned
//! upright by its EXIF orientation, centre-cropped to 3:4 and re-encoded as a 300×400 JPEG
//! that carries no metadata at all.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// Largest upload, in bytes; a longer body is a 413 before anything is decoded.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Longest side an upload may declare.
pub const MAX_SIDE: u32 = 6000;
/// Most pixels an upload may declare (40 megapixels).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Most memory the decoder may hold at once: a 40-megapixel image in 8-bit RGBA is 160 MB;
/// 16-bit colour at the largest sizes is refused by this bound rather than decoded.
pub const MAX_DECODER_ALLOC: u64 = 256 * 1024 * 1024;
/// The stored photo's size: a 3:4 portrait.
pub const WIDTH: u32 = 300;
pub const HEIGHT: u32 = 400;
/// JPEG quality of the stored photo: faces stay sharp at card size, about 20–40 KiB.
const QUALITY: u8 = 85;

/// A stored photo: a 300×400 baseline JPEG with no metadata.
#[derive(Clone, Debug)]
pub struct Portrait {
    jpeg: Vec<u8>,
}

impl Portrait {
    /// The upload re-encoded, or why it is refused (a sentence for the `photo` field).
    pub fn from_upload(bytes: &[u8]) -> Result<Self, String> {
        let format = sniff(bytes)?;
        if format == ImageFormat::Jpeg && !jpeg_is_whole(bytes) {
            return Err("could not be read: the file is damaged or incomplete".into());
        }
        let (width, height) = header_size(bytes, format)?;
        check_size(width, height)?;
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.limits(limits());
        let mut decoder = reader.into_decoder().map_err(unreadable)?;
        let orientation = decoder.orientation().map_err(unreadable)?;
        let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
        image.apply_orientation(orientation);
        Ok(Self {
            jpeg: encode(&portrait(&image))?,
        })
    }

    pub fn jpeg(&self) -> &[u8] {
        &self.jpeg
    }

    /// A strong validator for caches: the first 16 hex digits of the bytes' SHA-256.
    pub fn etag(&self) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(&Sha256::digest(&self.jpeg)[..8])
    }
}

/// JPEG or PNG, from the first bytes, whatever the request's header said.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, String> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(ImageFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(ImageFormat::Png),
        Ok(other) => Err(format!(
            "must be a JPEG or PNG photo (this is {})",
            other.extensions_str().first().unwrap_or(&"another format")
        )),
        Err(_) => Err("must be a JPEG or PNG photo (this is not an image)".into()),
    }
}

/// Whether a JPEG's segments run whole to its end-of-image marker. The decoder forgives a
/// file cut short (it paints the missing rows grey), so a truncated upload would be stored as
/// a half-grey face; walking the markers finds the cut. Bytes after the end marker (some
/// phones append their own data there) are allowed.
fn jpeg_is_whole(b: &[u8]) -> bool {
    let mut i = 2; // after SOI, which `sniff` has seen
    loop {
        // A marker: 0xFF (any number of fill 0xFF), then its code.
        if b.get(i) != Some(&0xFF) {
            return false;
        }
        while b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let Some(&code) = b.get(i + 1) else {
            return false;
        };
        i += 2;
        match code {
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(len) = b
            .get(i..i + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            return false;
        };
        if len < 2 || i + len > b.len() {
            return false;
        }
        i += len;
        if code == 0xDA {
            // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
            // restart marker.
            loop {
                match (b.get(i), b.get(i + 1)) {
                    (Some(0xFF), Some(0x00 | 0xD0..=0xD7)) => i += 2,
                    (Some(0xFF), Some(_)) => break,
                    (Some(_), _) => i += 1,
                    (None, _) => return false,
                }
            }
        }
    }
}

/// The size the file declares, read from its header alone: no pixel is decoded, so a small
/// file that claims a huge canvas (a decompression bomb) costs nothing.
fn header_size(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), String> {
    ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(unreadable)
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err("is an empty image (0 pixels)".into());
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(format!(
            "is {width}×{height} pixels: at most {MAX_SIDE} pixels on a side"
        ));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!("is {width}×{height} pixels: at most 40 megapixels"));
    }
    Ok(())
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    limits
}

fn unreadable(e: image::ImageError) -> String {
    match e {
        image::ImageError::Limits(_) => {
            "is too large to decode (at most 40 megapixels, 8-bit colour)".into()
        }
        _ => "could not be read: the file is damaged or incomplete".into(),
    }
}

/// The largest 3:4 rectangle at the centre, scaled to 300×400.
fn portrait(image: &DynamicImage) -> DynamicImage {
    let (w, h) = (image.width(), image.height());
    // Width over height against 3/4, in integers: wider than 3:4 loses its sides, taller
    // loses top and bottom.
    let (crop_w, crop_h) = if u64::from(w) * 4 > u64::from(h) * 3 {
        ((u64::from(h) * 3 / 4).max(1) as u32, h)
    } else {
        (w, (u64::from(w) * 4 / 3).max(1) as u32)
    };
    let x = (w - crop_w) / 2;
    let y = (h - crop_h) / 2;
    // `thumbnail_exact` averages areas: fast for the big reductions of phone photos, and
    // without the ringing of a sharp filter.
    image
        .crop_imm(x, y, crop_w, crop_h)
        .thumbnail_exact(WIDTH, HEIGHT)
}

fn encode(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let rgb = image.to_rgb8();
    let mut out = Vec::with_capacity(64 * 1024);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&rgb)
        .map_err(|_| "could not be re-encoded".to_owned())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn any_shape_becomes_a_300_by_400_jpeg() {
        for (w, h) in [(4000, 3000), (300, 400), (120, 900), (1, 1)] {
            let p = Portrait::from_upload(&png(w, h)).unwrap();
            let back = image::load_from_memory_with_format(p.jpeg(), ImageFormat::Jpeg).unwrap();
            assert_eq!((back.width(), back.height()), (WIDTH, HEIGHT), "{w}×{h}");
        }
    }

    #[test]
    fn a_landscape_photo_loses_its_sides_not_its_middle() {
        // Left and right quarters red, the middle green: the crop keeps the green.
        let image = image::RgbImage::from_fn(800, 400, |x, _| {
            if (200..600).contains(&x) {
                image::Rgb([0, 255, 0])
            } else {
                image::Rgb([255, 0, 0])
            }
        });
        let mut bytes = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        let p = Portrait::from_upload(&bytes).unwrap();
        let back = image::load_from_memory(p.jpeg()).unwrap().to_rgb8();
        for x in [5, 150, 295] {
            let px = back.get_pixel(x, 200);
            assert!(px[1] > 200 && px[0] < 60, "pixel {x} is {px:?}");
        }
    }

    #[test]
    fn what_is_not_a_photo_is_refused_with_a_reason() {
        assert!(Portrait::from_upload(b"hello, not an image").is_err());
        assert!(Portrait::from_upload(b"").is_err());
        let whole = png(200, 200);
        let cut = &whole[..whole.len() / 2];
        assert!(Portrait::from_upload(cut).is_err());
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert!(
            Portrait::from_upload(gif)
                .unwrap_err()
                .contains("JPEG or PNG")
        );
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([
                (x * 7 % 256) as u8,
                (y * 13 % 256) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&image)
            .unwrap();
        out
    }

    #[test]
    fn a_truncated_or_corrupt_jpeg_is_refused() {
        let whole = jpeg(640, 480);
        assert!(Portrait::from_upload(&whole).is_ok());
        for cut in [whole.len() / 2, whole.len() - 200] {
            assert!(
                Portrait::from_upload(&whole[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut scrambled = whole.clone();
        let middle = scrambled.len() / 2;
        scrambled[middle..middle + 64].fill(0xFF);
        assert!(Portrait::from_upload(&scrambled).is_err());
    }

    #[test]
    fn a_declared_canvas_too_large_is_refused_from_the_header() {
        assert!(check_size(6000, 6000).is_ok());
        assert!(check_size(6001, 10).unwrap_err().contains("6000"));
        assert!(check_size(10, 6001).is_err());
        assert!(check_size(0, 10).is_err());
        // 6000×6000 is 36 MP: allowed; nothing over 40 MP fits in 6000 on a side, so the
        // megapixel rule only matters if the side limit is ever raised.
        assert!(u64::from(MAX_SIDE) * u64::from(MAX_SIDE) <= MAX_PIXELS);
    }
}
