//! QR rendering: 1-bit PNG and SVG with whole pixels per module and the 4-module quiet zone
//! ISO/IEC 18004 requires.

use qrcode::{Color, EcLevel, QrCode};

/// The quiet zone around the symbol, in modules (ISO/IEC 18004 §6.3.8).
pub const QUIET_ZONE: usize = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ecc {
    L,
    M,
    Q,
    H,
}

impl Ecc {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "L" | "l" => Ok(Self::L),
            "M" | "m" => Ok(Self::M),
            "Q" | "q" => Ok(Self::Q),
            "H" | "h" => Ok(Self::H),
            _ => Err("must be L, M, Q or H".into()),
        }
    }

    fn level(self) -> EcLevel {
        match self {
            Self::L => EcLevel::L,
            Self::M => EcLevel::M,
            Self::Q => EcLevel::Q,
            Self::H => EcLevel::H,
        }
    }
}

/// The module matrix (true = dark) and its width, without the quiet zone.
pub fn modules(payload: &str, ecc: Ecc) -> Result<(Vec<bool>, usize), String> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), ecc.level())
        .map_err(|e| format!("payload does not fit a QR code: {e}"))?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Ok((dark, width))
}

/// A 1-bit grayscale PNG: `scale` pixels per module, quiet zone included.
pub fn png(payload: &str, ecc: Ecc, scale: usize) -> Result<Vec<u8>, String> {
    let (dark, width) = modules(payload, ecc)?;
    let side_modules = width + 2 * QUIET_ZONE;
    let side = side_modules * scale;
    let row_bytes = side.div_ceil(8);
    let mut data = vec![0xFFu8; row_bytes * side];
    for my in 0..width {
        for mx in 0..width {
            if !dark[my * width + mx] {
                continue;
            }
            for dy in 0..scale {
                let y = (my + QUIET_ZONE) * scale + dy;
                for dx in 0..scale {
                    let x = (mx + QUIET_ZONE) * scale + dx;
                    data[y * row_bytes + x / 8] &= !(0x80 >> (x % 8));
                }
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_compression(png::Compression::High);
        encoder.set_filter(png::Filter::Up);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&data).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// An SVG of the symbol at `size` user units, quiet zone included; one path, crisp edges.
pub fn svg_group(payload: &str, ecc: Ecc, x: f64, y: f64, size: f64) -> Result<String, String> {
    let (dark, width) = modules(payload, ecc)?;
    let side = (width + 2 * QUIET_ZONE) as f64;
    let mut path = String::new();
    for my in 0..width {
        let mut mx = 0;
        while mx < width {
            if dark[my * width + mx] {
                let start = mx;
                while mx < width && dark[my * width + mx] {
                    mx += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    my + QUIET_ZONE,
                    mx - start,
                    mx - start
                ));
            } else {
                mx += 1;
            }
        }
    }
    let k = size / side;
    Ok(format!(
        r##"<g transform="translate({x} {y}) scale({k})"><rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000" shape-rendering="crispEdges"/></g>"##
    ))
}

/// A standalone SVG of the symbol, 8 units per module.
pub fn svg(payload: &str, ecc: Ecc) -> Result<String, String> {
    let (_, width) = modules(payload, ecc)?;
    let size = ((width + 2 * QUIET_ZONE) * 8) as f64;
    let group = svg_group(payload, ecc, 0.0, 0.0, size)?;
    Ok(format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">{group}</svg>"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_is_one_bit_with_whole_modules_and_quiet_zone() {
        let payload = crate::qris::static_payload(&crate::qris::build::tests::jambi()).unwrap();
        let bytes = png(&payload, Ecc::M, 4).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!(info.bit_depth, png::BitDepth::One);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let (_, width) = modules(&payload, Ecc::M).unwrap();
        assert_eq!(info.width as usize, (width + 8) * 4);
    }
}
