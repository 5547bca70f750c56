//! JPEG: walk the segments, keep what a decoder needs and the colour, drop the metadata.

use super::*;

pub(super) fn clean_jpeg(b: &[u8], keep_location: bool) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    const CUT: PhotoError = PhotoError::Damaged("the JPEG ends before its end marker");
    let mut jfif: Option<Vec<u8>> = None;
    let mut body = Vec::with_capacity(b.len());
    let mut exif: Option<ExifInfo> = None;
    let (mut frame, mut scan) = (false, false);
    let mut pos = 2; // after SOI
    loop {
        if *b.get(pos).ok_or(CUT)? != 0xFF {
            return Err(PhotoError::Damaged("a JPEG segment does not start with a marker"));
        }
        while b.get(pos) == Some(&0xFF) {
            pos += 1; // fill bytes
        }
        let marker = *b.get(pos).ok_or(CUT)?;
        pos += 1;
        match marker {
            0xD9 => break, // EOI: whatever follows is dropped
            0x01 | 0xD0..=0xD7 => {
                body.extend_from_slice(&[0xFF, marker]); // TEM, RSTn: no length
                continue;
            }
            0x00 | 0xD8 => return Err(PhotoError::Damaged("a JPEG holds a marker where none is allowed")),
            _ => {}
        }
        let length = usize::from(be16(b, pos).ok_or(CUT)?);
        let end = pos + length;
        if length < 2 || end > b.len() {
            return Err(PhotoError::Damaged("a JPEG segment runs past the end of the file"));
        }
        let (with_length, payload) = (&b[pos..end], &b[pos + 2..end]);
        pos = end;
        let keep = match marker {
            0xE0 => {
                // JFIF: keep the 14-byte header, with the thumbnail size set to 0x0.
                if jfif.is_none() && payload.starts_with(b"JFIF\0") && payload.len() >= 14 {
                    let mut segment = vec![0xFF, 0xE0, 0x00, 0x10];
                    segment.extend_from_slice(&payload[..12]);
                    segment.extend_from_slice(&[0, 0]);
                    jfif = Some(segment);
                }
                false
            }
            0xE1 => {
                if exif.is_none() && payload.starts_with(b"Exif\0") {
                    exif = Some(payload.get(6..).and_then(read_exif).unwrap_or_default());
                }
                false
            }
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xEE => payload.starts_with(b"Adobe"),
            0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                // Precision, then height and width. (A height of 0 deferred to a DNL marker is
                // refused too: no camera writes it.)
                let height = be16(payload, 1).ok_or(PhotoError::Damaged("a JPEG frame header is cut off"))?;
                let width = be16(payload, 3).ok_or(PhotoError::Damaged("a JPEG frame header is cut off"))?;
                check_dimensions(u32::from(width), u32::from(height))?;
                frame = true;
                true
            }
            0xC4 | 0xCC | 0xDB..=0xDF => true,
            0xDA => {
                if !frame {
                    return Err(PhotoError::Damaged("a JPEG scan comes before its frame header"));
                }
                scan = true;
                body.extend_from_slice(&[0xFF, 0xDA]);
                body.extend_from_slice(with_length);
                let scan_end = entropy_end(b, pos);
                body.extend_from_slice(&b[pos..scan_end]);
                pos = scan_end;
                false
            }
            _ => false, // other APPn, COM, reserved and extension markers
        };
        if keep {
            body.extend_from_slice(&[0xFF, marker]);
            body.extend_from_slice(with_length);
        }
    }
    if !scan {
        return Err(PhotoError::Damaged("the JPEG holds no image data"));
    }
    let info = exif.unwrap_or_default();
    let gps = info.gps.filter(|_| keep_location);
    let orientation = info.orientation.filter(|o| (2..=8).contains(o));
    let mut out = Vec::with_capacity(body.len() + 200);
    out.extend_from_slice(&[0xFF, 0xD8]);
    out.extend(jfif.unwrap_or_default());
    if orientation.is_some() || gps.is_some() {
        let tiff = write_tiff(orientation, gps.as_ref());
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes()); // at most ~150 bytes
        out.extend_from_slice(b"Exif\0\0");
        out.extend(tiff);
    }
    out.extend(body);
    out.extend_from_slice(&[0xFF, 0xD9]);
    Ok((out, gps.map(|g| g.point)))
}

/// Where the entropy-coded data starting at `pos` ends: at the first marker that is not a stuffed
/// byte (`FF 00`) or a restart marker, or at the end of the file.
pub(super) fn entropy_end(b: &[u8], mut pos: usize) -> usize {
    while let Some(skip) = b.get(pos..).and_then(|rest| rest.iter().position(|&c| c == 0xFF)) {
        pos += skip;
        match b.get(pos + 1) {
            Some(0x00 | 0xD0..=0xD7) => pos += 2,
            _ => return pos,
        }
    }
    b.len()
}
