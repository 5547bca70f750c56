//! Exif (TIFF): read the orientation and GPS position, write a minimal TIFF with only those.

use super::*;

pub(super) const TAG_ORIENTATION: u16 = 0x0112;
pub(super) const TAG_GPS_IFD: u16 = 0x8825;
pub(super) const GPS_LATITUDE_REF: u16 = 1;
pub(super) const GPS_LATITUDE: u16 = 2;
pub(super) const GPS_LONGITUDE_REF: u16 = 3;
pub(super) const GPS_LONGITUDE: u16 = 4;
pub(super) const TYPE_BYTE: u16 = 1;
pub(super) const TYPE_ASCII: u16 = 2;
pub(super) const TYPE_SHORT: u16 = 3;
pub(super) const TYPE_LONG: u16 = 4;
pub(super) const TYPE_RATIONAL: u16 = 5;
pub(super) const TYPE_UNDEFINED: u16 = 7;
pub(super) const TYPE_SRATIONAL: u16 = 10;
pub(super) const TYPE_IFD: u16 = 13;

/// What is worth keeping from an Exif block.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct ExifInfo {
    /// 1..=8.
    pub(super) orientation: Option<u16>,
    pub(super) gps: Option<Gps>,
}

/// A GPS position as the camera wrote it (to write it back with the same precision) and in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Gps {
    /// `N` or `S`.
    pub(super) lat_ref: u8,
    /// Degrees, minutes, seconds.
    pub(super) lat: [(u32, u32); 3],
    /// `E` or `W`.
    pub(super) lon_ref: u8,
    pub(super) lon: [(u32, u32); 3],
    pub(super) point: GeoPoint,
}

/// A TIFF structure in either byte order.
pub(super) struct Tiff<'a> {
    pub(super) d: &'a [u8],
    pub(super) little_endian: bool,
}

/// An IFD entry: its type, count and where its value is (inline or at an offset), bounds-checked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) typ: u16,
    pub(super) count: u32,
    pub(super) value: usize,
}

impl<'a> Tiff<'a> {
    pub(super) fn new(d: &'a [u8]) -> Option<Self> {
        let little_endian = match d.get(..4)? {
            [b'I', b'I', 42, 0] => true,
            [b'M', b'M', 0, 42] => false,
            _ => return None,
        };
        Some(Self { d, little_endian })
    }

    pub(super) fn u16(&self, at: usize) -> Option<u16> {
        let s = self.d.get(at..at.checked_add(2)?)?;
        let bytes = [s[0], s[1]];
        Some(if self.little_endian { u16::from_le_bytes(bytes) } else { u16::from_be_bytes(bytes) })
    }

    pub(super) fn u32(&self, at: usize) -> Option<u32> {
        let s = self.d.get(at..at.checked_add(4)?)?;
        let bytes = [s[0], s[1], s[2], s[3]];
        Some(if self.little_endian { u32::from_le_bytes(bytes) } else { u32::from_be_bytes(bytes) })
    }

    pub(super) fn ifd0(&self) -> Option<usize> {
        usize::try_from(self.u32(4)?).ok()
    }

    pub(super) fn entry_count(&self, ifd: usize) -> Option<usize> {
        self.u16(ifd).map(usize::from)
    }

    /// The `i`th entry's tag of the IFD at `ifd`.
    pub(super) fn tag(&self, ifd: usize, i: usize) -> Option<u16> {
        self.u16(ifd.checked_add(2 + 12 * i)?)
    }

    /// The offset of the next IFD after the one at `ifd` (0: none).
    #[cfg(test)]
    pub(super) fn next_ifd(&self, ifd: usize) -> Option<u32> {
        self.u32(ifd.checked_add(2 + 12 * self.entry_count(ifd)?)?)
    }

    /// The entry with `tag` in the IFD at `ifd`, if it is there and its value lies inside the data.
    pub(super) fn find(&self, ifd: usize, tag: u16) -> Option<Entry> {
        let at = (0..self.entry_count(ifd)?).find(|&i| self.tag(ifd, i) == Some(tag))?;
        self.entry(ifd + 2 + 12 * at)
    }

    pub(super) fn entry(&self, at: usize) -> Option<Entry> {
        let typ = self.u16(at + 2)?;
        let count = self.u32(at + 4)?;
        let unit: usize = match typ {
            1 | 2 | 6 | 7 => 1,
            3 | 8 => 2,
            4 | 9 | 11 | 13 => 4,
            5 | 10 | 12 => 8,
            _ => return None,
        };
        let size = usize::try_from(count).ok()?.checked_mul(unit)?;
        let value = if size <= 4 { at + 8 } else { usize::try_from(self.u32(at + 8)?).ok()? };
        (value.checked_add(size)? <= self.d.len()).then_some(Entry { typ, count, value })
    }
}

/// Orientation and GPS position from a TIFF structure (the Exif body after `Exif\0\0`).
pub(super) fn read_exif(tiff: &[u8]) -> Option<ExifInfo> {
    let t = Tiff::new(tiff)?;
    let ifd0 = t.ifd0()?;
    let orientation = t
        .find(ifd0, TAG_ORIENTATION)
        .filter(|e| e.typ == TYPE_SHORT && e.count >= 1)
        .and_then(|e| t.u16(e.value))
        .filter(|o| (1..=8).contains(o));
    let gps = t
        .find(ifd0, TAG_GPS_IFD)
        .filter(|e| matches!(e.typ, TYPE_LONG | TYPE_IFD) && e.count >= 1)
        .and_then(|e| t.u32(e.value))
        .and_then(|ifd| read_gps(&t, usize::try_from(ifd).ok()?));
    Some(ExifInfo { orientation, gps })
}

pub(super) fn read_gps(t: &Tiff, ifd: usize) -> Option<Gps> {
    let reference = |tag| {
        let e = t.find(ifd, tag).filter(|e| matches!(e.typ, TYPE_ASCII | TYPE_BYTE | TYPE_UNDEFINED))?;
        (e.count >= 1).then(|| t.d[e.value].to_ascii_uppercase())
    };
    let dms = |tag| {
        let e = t.find(ifd, tag).filter(|e| matches!(e.typ, TYPE_RATIONAL | TYPE_SRATIONAL) && e.count >= 1)?;
        let mut parts = [(0, 1); 3];
        for (i, part) in parts.iter_mut().enumerate().take(e.count.min(3) as usize) {
            let (n, d) = (t.u32(e.value + 8 * i)?, t.u32(e.value + 8 * i + 4)?);
            if e.typ == TYPE_SRATIONAL && ((n as i32) < 0 || (d as i32) < 0) {
                return None;
            }
            *part = (n, d);
        }
        Some(parts)
    };
    let (lat_ref, lat, lon_ref, lon) =
        (reference(GPS_LATITUDE_REF)?, dms(GPS_LATITUDE)?, reference(GPS_LONGITUDE_REF)?, dms(GPS_LONGITUDE)?);
    let lat_sign = match lat_ref {
        b'N' => 1.0,
        b'S' => -1.0,
        _ => return None,
    };
    let lon_sign = match lon_ref {
        b'E' => 1.0,
        b'W' => -1.0,
        _ => return None,
    };
    let point = GeoPoint { lat: lat_sign * degrees(lat)?, lon: lon_sign * degrees(lon)? };
    // Also refuses NaN.
    if !(point.lat.abs() <= 90.0 && point.lon.abs() <= 180.0) {
        return None;
    }
    Some(Gps { lat_ref, lat, lon_ref, lon, point })
}

/// Degrees from degrees, minutes and seconds; `0/0` (an unset part) counts as 0.
pub(super) fn degrees(dms: [(u32, u32); 3]) -> Option<f64> {
    let mut total = 0.0;
    for ((n, d), scale) in dms.into_iter().zip([1.0, 60.0, 3600.0]) {
        total += match (n, d) {
            (0, 0) => 0.0,
            (_, 0) => return None,
            (n, d) => f64::from(n) / f64::from(d) / scale,
        };
    }
    Some(total)
}

/// A minimal little-endian TIFF: IFD0 with only Orientation and the GPS IFD pointer, a GPS IFD
/// with only latitude and longitude (with their references), and no further IFD (no thumbnail).
pub(super) fn write_tiff(orientation: Option<u16>, gps: Option<&Gps>) -> Vec<u8> {
    pub(super) fn entry(t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]) {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    }
    let ifd0_entries = u16::from(orientation.is_some()) + u16::from(gps.is_some());
    let gps_ifd = 8 + 2 + 12 * u32::from(ifd0_entries) + 4;
    let mut t = Vec::with_capacity(140);
    t.extend_from_slice(b"II*\0");
    t.extend_from_slice(&8u32.to_le_bytes());
    t.extend_from_slice(&ifd0_entries.to_le_bytes());
    if let Some(o) = orientation {
        let [lo, hi] = o.to_le_bytes();
        entry(&mut t, TAG_ORIENTATION, TYPE_SHORT, 1, [lo, hi, 0, 0]);
    }
    if gps.is_some() {
        entry(&mut t, TAG_GPS_IFD, TYPE_LONG, 1, gps_ifd.to_le_bytes());
    }
    t.extend_from_slice(&0u32.to_le_bytes());
    if let Some(g) = gps {
        let data = gps_ifd + 2 + 12 * 4 + 4;
        t.extend_from_slice(&4u16.to_le_bytes());
        entry(&mut t, GPS_LATITUDE_REF, TYPE_ASCII, 2, [g.lat_ref, 0, 0, 0]);
        entry(&mut t, GPS_LATITUDE, TYPE_RATIONAL, 3, data.to_le_bytes());
        entry(&mut t, GPS_LONGITUDE_REF, TYPE_ASCII, 2, [g.lon_ref, 0, 0, 0]);
        entry(&mut t, GPS_LONGITUDE, TYPE_RATIONAL, 3, (data + 24).to_le_bytes());
        t.extend_from_slice(&0u32.to_le_bytes());
        for (n, d) in g.lat.iter().chain(&g.lon) {
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&d.to_le_bytes());
        }
    }
    t
}
