//! HEIC/HEIF (ISO base media file format): zero the metadata items in place, within a byte budget.

use super::*;

/// A box: its type, where it starts, where its header ends, where its content starts (after a
/// `uuid` box's user type) and where it ends.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bmff {
    pub(super) typ: [u8; 4],
    pub(super) start: usize,
    pub(super) header_end: usize,
    pub(super) body: usize,
    pub(super) end: usize,
}

/// The boxes from `pos` to `end`, which must tile the range exactly.
pub(super) fn bmff_boxes(b: &[u8], mut pos: usize, end: usize) -> Result<Vec<Bmff>, PhotoError> {
    const CUT: PhotoError = PhotoError::Damaged("a HEIC box runs past the end of its container");
    let mut boxes = Vec::new();
    while pos < end {
        if boxes.len() == MAX_BOXES {
            return Err(PhotoError::Damaged("a HEIC container holds too many boxes"));
        }
        let rest = end - pos;
        if rest < 8 {
            return Err(CUT);
        }
        let typ = four(b, pos + 4).ok_or(CUT)?;
        let (header, size) = match be32(b, pos).ok_or(CUT)? {
            0 => (8, rest),
            1 if rest >= 16 => (16, be64(b, pos + 8).and_then(|s| usize::try_from(s).ok()).ok_or(CUT)?),
            1 => return Err(CUT),
            size => (8, size as usize),
        };
        if size < header || size > rest {
            return Err(CUT);
        }
        let body = if &typ == b"uuid" { pos + header + 16 } else { pos + header };
        if body > pos + size {
            return Err(CUT);
        }
        boxes.push(Bmff { typ, start: pos, header_end: pos + header, body, end: pos + size });
        pos += size;
    }
    Ok(boxes)
}

/// Items whose data is metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MetaItem {
    Exif,
    Xmp,
}

/// An `iloc` entry: where an item's data is.
#[derive(Debug, Clone)]
pub(super) struct ItemLocation {
    pub(super) id: u32,
    pub(super) construction_method: u8,
    pub(super) data_reference_index: u16,
    pub(super) base_offset: u64,
    /// (offset, length); length 0 means "to the end of the data".
    pub(super) extents: Vec<(u64, u64)>,
}

/// The bytes a photo's cleaning may read and write in metadata items: at most the file's length,
/// so a crafted file with many items that each cover all media data costs linear time, not
/// items × length.
#[derive(Debug)]
pub(super) struct Budget {
    pub(super) left: usize,
    pub(super) spent: usize,
}

impl Budget {
    pub(super) fn new(bytes: usize) -> Self {
        Self { left: bytes, spent: 0 }
    }

    pub(super) fn spend(&mut self, bytes: usize) -> Result<(), PhotoError> {
        self.left = self.left.checked_sub(bytes).ok_or(PhotoError::Damaged("the HEIC metadata items overlap"))?;
        self.spent += bytes;
        Ok(())
    }
}

pub(super) fn clean_heic(b: &[u8], keep_location: bool) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    clean_heic_within(b, keep_location, &mut Budget::new(b.len()))
}

pub(super) fn clean_heic_within(
    b: &[u8],
    keep_location: bool,
    budget: &mut Budget,
) -> Result<(Vec<u8>, Option<GeoPoint>), PhotoError> {
    let top = bmff_boxes(b, 0, b.len())?;
    if top.first().map(|t| &t.typ) != Some(b"ftyp") {
        return Err(PhotoError::Damaged("the HEIC file does not start with its file type box"));
    }
    let mut metas = top.iter().filter(|t| &t.typ == b"meta");
    // Without a meta box there is no image item: an image sequence or video, not a photo.
    let meta = *metas.next().ok_or(PhotoError::NotAPhoto)?;
    if metas.next().is_some() {
        return Err(PhotoError::Damaged("the HEIC file holds more than one meta box"));
    }
    let mut r = Reader::new(b, meta.body, meta.end, "the HEIC meta box is cut off");
    if r.u8()? != 0 {
        return Err(PhotoError::Damaged("the HEIC meta box has an unknown version"));
    }
    r.take(3)?;
    let children = bmff_boxes(b, r.pos, meta.end)?;
    let only = |typ: &[u8; 4]| -> Result<Option<Bmff>, PhotoError> {
        let mut found = children.iter().filter(|c| &c.typ == typ);
        let first = found.next().copied();
        if found.next().is_some() {
            return Err(PhotoError::Damaged("the HEIC meta box holds a box twice"));
        }
        Ok(first)
    };
    let meta_items = only(b"iinf")?.map(|iinf| parse_iinf(b, iinf)).transpose()?.unwrap_or_default();
    let locations = only(b"iloc")?.map(|iloc| parse_iloc(b, iloc)).transpose()?.unwrap_or_default();
    let idat = only(b"idat")?;
    let references = only(b"dinf")?.map(|dinf| self_contained_references(b, dinf)).transpose()?.unwrap_or_default();
    let in_this_file = |index: u16| index == 0 || references.get(usize::from(index) - 1) == Some(&true);
    let iprp = only(b"iprp")?.ok_or(PhotoError::Damaged("the HEIC file has no item properties"))?;
    check_image_sizes(b, iprp)?;

    let mut out = b.to_vec();
    let mut location = None;
    let mut used = Vec::new();
    for item in &locations {
        let kind = meta_items.binary_search_by_key(&item.id, |&(id, _)| id).ok().map(|i| meta_items[i].1);
        if !in_this_file(item.data_reference_index) || item.construction_method > 1 {
            // The data is in another file or made from other items' data (located by their own entries).
            if kind.is_some() {
                return Err(PhotoError::Damaged("a HEIC metadata item's data cannot be located"));
            }
            continue;
        }
        let ranges = locate(item, b.len(), idat)?;
        used.extend_from_slice(&ranges);
        let Some(kind) = kind else { continue };
        // Metadata lives in media data: never let a (crafted) item make us overwrite the structure.
        let in_media_data = |&(start, end): &(usize, usize)| {
            item.construction_method == 1 || top.iter().any(|t| &t.typ == b"mdat" && t.body <= start && end <= t.end)
        };
        if !ranges.iter().all(in_media_data) {
            return Err(PhotoError::Damaged("a HEIC metadata item lies outside the media data"));
        }
        let total = ranges.iter().fold(0usize, |sum, (start, end)| sum.saturating_add(end - start));
        let mut fill = Vec::new();
        if kind == MetaItem::Exif && keep_location {
            budget.spend(total)?; // reading the item
            let payload: Vec<u8> = ranges.iter().flat_map(|&(start, end)| &b[start..end]).copied().collect();
            if let Some(info) = read_heif_exif(&payload)
                && let Some(gps) = info.gps
            {
                location.get_or_insert(gps.point);
                let tiff = write_tiff(info.orientation.filter(|o| (2..=8).contains(o)), Some(&gps));
                if 4 + tiff.len() <= total {
                    fill.extend_from_slice(&[0, 0, 0, 0]); // the TIFF header follows directly
                    fill.extend(tiff);
                }
            }
        }
        budget.spend(total)?; // overwriting the item
        let mut fill = fill.as_slice();
        for &(start, end) in &ranges {
            let target = &mut out[start..end];
            let n = fill.len().min(target.len());
            target[..n].copy_from_slice(&fill[..n]);
            target[n..].fill(0);
            fill = &fill[n..];
        }
    }

    let used = merge(used);
    let holds_item_data =
        |start: usize, end: usize| used.get(used.partition_point(|&(_, e)| e <= start)).is_some_and(|&(s, _)| s < end);
    for t in &top {
        match &t.typ {
            b"ftyp" | b"meta" => {}
            b"mdat" => {
                // Zero what no item refers to: leftovers of earlier edits, old metadata.
                let mut cursor = t.body;
                for &(s, e) in &used[used.partition_point(|&(_, e)| e <= cursor)..] {
                    if s >= t.end {
                        break;
                    }
                    if s > cursor {
                        out[cursor..s].fill(0);
                    }
                    cursor = cursor.max(e);
                }
                if cursor < t.end {
                    out[cursor..t.end].fill(0);
                }
            }
            _ if !holds_item_data(t.start, t.end) => {
                out[t.start + 4..t.start + 8].copy_from_slice(b"free");
                out[t.header_end..t.end].fill(0);
            }
            _ => {}
        }
    }
    Ok((out, location))
}

/// The metadata items (Exif, XMP) named in `iinf`, sorted by item id.
pub(super) fn parse_iinf(b: &[u8], iinf: Bmff) -> Result<Vec<(u32, MetaItem)>, PhotoError> {
    let mut r = Reader::new(b, iinf.body, iinf.end, "the HEIC item information box is cut off");
    let version = r.u8()?;
    r.take(if version == 0 { 3 + 2 } else { 3 + 4 })?; // flags, entry count (the boxes are counted instead)
    let mut items = Vec::new();
    for infe in bmff_boxes(b, r.pos, iinf.end)? {
        if &infe.typ != b"infe" {
            continue;
        }
        let mut r = Reader::new(b, infe.body, infe.end, "a HEIC item information entry is cut off");
        let version = r.u8()?;
        r.take(3)?;
        let item = match version {
            0 | 1 => {
                let id = u32::from(r.u16()?);
                r.u16()?; // protection index
                r.cstr(); // name
                is_xmp(r.cstr()).then_some((id, MetaItem::Xmp))
            }
            2 | 3 => {
                let id = if version == 2 { u32::from(r.u16()?) } else { r.u32()? };
                r.u16()?; // protection index
                let item_type = r.take(4)?;
                r.cstr(); // name
                match item_type {
                    b"Exif" => Some((id, MetaItem::Exif)),
                    b"mime" if is_xmp(r.cstr()) => Some((id, MetaItem::Xmp)),
                    _ => None,
                }
            }
            _ => return Err(PhotoError::Damaged("a HEIC item information entry has an unknown version")),
        };
        items.extend(item);
    }
    items.sort_unstable_by_key(|&(id, _)| id);
    Ok(items)
}

/// Every image size (`ispe`) in the item properties must be sensible, and there must be one: HEIF
/// requires it for every image item.
pub(super) fn check_image_sizes(b: &[u8], iprp: Bmff) -> Result<(), PhotoError> {
    let mut sizes = 0;
    for ipco in bmff_boxes(b, iprp.body, iprp.end)?.into_iter().filter(|c| &c.typ == b"ipco") {
        for ispe in bmff_boxes(b, ipco.body, ipco.end)?.into_iter().filter(|c| &c.typ == b"ispe") {
            let mut r = Reader::new(b, ispe.body, ispe.end, "a HEIC image size property is cut off");
            r.take(4)?; // version, flags
            check_dimensions(r.u32()?, r.u32()?)?;
            sizes += 1;
        }
    }
    if sizes == 0 {
        return Err(PhotoError::Damaged("the HEIC file does not say how large its image is"));
    }
    Ok(())
}

/// For each `dref` entry (data reference 1, 2, …): whether it means "this file" (`url ` with flag 1).
pub(super) fn self_contained_references(b: &[u8], dinf: Bmff) -> Result<Vec<bool>, PhotoError> {
    let Some(dref) = bmff_boxes(b, dinf.body, dinf.end)?.into_iter().find(|c| &c.typ == b"dref") else {
        return Ok(Vec::new());
    };
    let mut r = Reader::new(b, dref.body, dref.end, "the HEIC data reference box is cut off");
    r.take(4 + 4)?; // version, flags, entry count (the boxes are counted instead)
    bmff_boxes(b, r.pos, dref.end)?
        .iter()
        .map(|entry| {
            let flags = Reader::new(b, entry.body, entry.end, "a HEIC data reference is cut off").take(4)?;
            Ok(&entry.typ == b"url " && flags[3] & 1 == 1)
        })
        .collect()
}

/// An XMP content type, `application/rdf+xml`, possibly with parameters.
pub(super) fn is_xmp(content_type: &[u8]) -> bool {
    let essence = content_type.split(|&c| c == b';').next().unwrap_or_default();
    essence.trim_ascii().eq_ignore_ascii_case(b"application/rdf+xml")
}

/// The entries of `iloc`, versions 0, 1 and 2.
pub(super) fn parse_iloc(b: &[u8], iloc: Bmff) -> Result<Vec<ItemLocation>, PhotoError> {
    let mut r = Reader::new(b, iloc.body, iloc.end, "the HEIC item location box is cut off");
    let version = r.u8()?;
    if version > 2 {
        return Err(PhotoError::Damaged("the HEIC item location box has an unknown version"));
    }
    r.take(3)?;
    let sizes = r.u8()?;
    let more_sizes = r.u8()?;
    let (offset_size, length_size, base_offset_size) = (sizes >> 4, sizes & 0x0F, more_sizes >> 4);
    let index_size = if version == 0 { 0 } else { more_sizes & 0x0F };
    let count = if version < 2 { u32::from(r.u16()?) } else { r.u32()? };
    if count > MAX_ITEMS {
        return Err(PhotoError::Damaged("the HEIC file holds too many items"));
    }
    let (mut locations, mut extents_seen) = (Vec::new(), 0);
    for _ in 0..count {
        let id = if version < 2 { u32::from(r.u16()?) } else { r.u32()? };
        let construction_method = if version == 0 { 0 } else { (r.u16()? & 0x0F) as u8 };
        let data_reference_index = r.u16()?;
        let base_offset = r.uint(base_offset_size)?;
        let extent_count = usize::from(r.u16()?);
        extents_seen += extent_count;
        if extents_seen > MAX_EXTENTS {
            return Err(PhotoError::Damaged("the HEIC file holds too many item extents"));
        }
        let mut extents = Vec::with_capacity(extent_count);
        for _ in 0..extent_count {
            r.uint(index_size)?;
            extents.push((r.uint(offset_size)?, r.uint(length_size)?));
        }
        locations.push(ItemLocation { id, construction_method, data_reference_index, base_offset, extents });
    }
    let mut ids: Vec<u32> = locations.iter().map(|l| l.id).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|pair| pair[0] == pair[1]) {
        return Err(PhotoError::Damaged("the HEIC item location box names an item twice"));
    }
    Ok(locations)
}

/// The byte ranges of an item stored in this file (construction method 0: file offsets, 1: offsets
/// in the `idat` box).
pub(super) fn locate(
    item: &ItemLocation,
    file_len: usize,
    idat: Option<Bmff>,
) -> Result<Vec<(usize, usize)>, PhotoError> {
    const OUTSIDE: PhotoError = PhotoError::Damaged("a HEIC item's data lies outside the file");
    let (origin, limit) = match item.construction_method {
        0 => (0, file_len),
        _ => {
            let idat = idat.ok_or(PhotoError::Damaged("a HEIC item refers to a missing idat box"))?;
            (idat.body, idat.end)
        }
    };
    let (origin, limit) = (origin as u64, limit as u64);
    item.extents
        .iter()
        .map(|&(offset, length)| {
            let start = origin.checked_add(item.base_offset).and_then(|s| s.checked_add(offset)).ok_or(OUTSIDE)?;
            let end = if length == 0 { limit } else { start.checked_add(length).ok_or(OUTSIDE)? };
            if start > end || end > limit {
                return Err(OUTSIDE);
            }
            Ok((start as usize, end as usize))
        })
        .collect()
}

/// Sorted, non-overlapping ranges covering the same bytes.
pub(super) fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.retain(|(start, end)| start < end);
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// A HEIF Exif item: a 4-byte offset to the TIFF header, then (usually) `Exif\0\0` and the TIFF.
pub(super) fn read_heif_exif(payload: &[u8]) -> Option<ExifInfo> {
    let offset = usize::try_from(be32(payload, 0)?).ok()?;
    let tiff = payload.get(4usize.checked_add(offset)?..)?;
    read_exif(tiff.strip_prefix(b"Exif\0\0").unwrap_or(tiff))
}

/// Reads big-endian fields of a box, failing with one message when the box is too short.
pub(super) struct Reader<'a> {
    pub(super) b: &'a [u8],
    pub(super) pos: usize,
    pub(super) end: usize,
    pub(super) cut: PhotoError,
}

impl<'a> Reader<'a> {
    /// `pos <= end <= b.len()`, as the box walker guarantees.
    pub(super) fn new(b: &'a [u8], pos: usize, end: usize, cut: &'static str) -> Self {
        Self { b, pos, end, cut: PhotoError::Damaged(cut) }
    }

    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], PhotoError> {
        if self.end.saturating_sub(self.pos) < n {
            return Err(self.cut);
        }
        let bytes = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    pub(super) fn u8(&mut self) -> Result<u8, PhotoError> {
        Ok(self.take(1)?[0])
    }

    pub(super) fn u16(&mut self) -> Result<u16, PhotoError> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }

    pub(super) fn u32(&mut self) -> Result<u32, PhotoError> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// An unsigned field of 0, 4 or 8 bytes, as `iloc` declares its sizes.
    pub(super) fn uint(&mut self, size: u8) -> Result<u64, PhotoError> {
        match size {
            0 => Ok(0),
            4 => self.u32().map(u64::from),
            8 => Ok(u64::from(self.u32()?) << 32 | u64::from(self.u32()?)),
            _ => Err(PhotoError::Damaged("the HEIC item location box declares an invalid field size")),
        }
    }

    /// A NUL-terminated string; a missing terminator ends it at the end of the box.
    pub(super) fn cstr(&mut self) -> &'a [u8] {
        let rest = &self.b[self.pos..self.end];
        match rest.iter().position(|&c| c == 0) {
            Some(n) => {
                self.pos += n + 1;
                &rest[..n]
            }
            None => {
                self.pos = self.end;
                rest
            }
        }
    }
}
