//! Progress chart for the digest: one row per work unit with a horizontal bar
//! of the unit's average percent complete and its innovation counts by state.
//!
//! Rendered fully in memory with `plotters`' bitmap backend and encoded to PNG
//! with the `png` crate. Text uses the bundled DejaVu Sans (assets/), registered
//! once through plotters' `ab_glyph` feature, so the output is the same on any
//! machine whether or not it has fonts installed.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont};

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, register_font};

/// DejaVu Sans 2.37 (Bitstream Vera license + public-domain changes), see
/// assets/DejaVuSans-LICENSE.txt.
static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/DejaVuSans.ttf"
));
/// Name under which the bundled font is registered in plotters' font table.
const FONT_NAME: &str = "kipp-dejavu-sans";

/// Most units one chart draws; more is refused rather than allocating a huge
/// bitmap (at this count the PNG is still within Telegram's photo limits).
pub const MAX_UNITS: usize = 300;

/// One unit's row in the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitProgress {
    /// e.g. "PUSDATIN", "UPT-BUNG-HATTA".
    pub unit_code: String,
    /// Innovations in draft (including those sent back).
    pub draft: u32,
    /// All required answers present but not yet submitted.
    pub complete: u32,
    /// Submitted, approved or selected.
    pub submitted: u32,
    /// Mean percent complete of the unit's innovations (0 if none); values
    /// above 100 are drawn as 100.
    pub average_percent: u8,
}

pub use crate::texts::ChartLabels;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the bundled chart font could not be loaded")]
    Font,
    #[error("too many units for one chart: {count} (at most {max})")]
    TooManyUnits { count: usize, max: usize },
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(#[from] png::EncodingError),
    #[error("rendering the chart failed unexpectedly")]
    Internal,
}

// ---------------------------------------------------------------- layout

const WIDTH: u32 = 1000;
const MARGIN: i32 = 20;
const RIGHT: i32 = WIDTH as i32 - MARGIN;

const TITLE_SIZE: f64 = 22.0;
const TITLE_LINE: i32 = 30;
const TITLE_MAX_LINES: usize = 3;
const LEGEND_SIZE: f64 = 14.0;
const LEGEND_LINE: i32 = 24;
const SWATCH: i32 = 12;
const SMALL_SIZE: f64 = 12.0;
const ROW_SIZE: f64 = 13.0;
const ROW_H: i32 = 24;
const BAR_H: i32 = 14;
const HEADER_H: i32 = 28;
const FOOTER_H: i32 = 56;
const EMPTY_H: i32 = 120;

const CODE_X0: i32 = MARGIN;
const CODE_X1: i32 = 226;
const BAR_X0: i32 = 236;
const BAR_X1: i32 = 666;
const COLS_X0: i32 = 740;
const COL_W: i32 = 80;

const BG: RGBColor = RGBColor(255, 255, 255);
const INK: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(108, 117, 125);
const FAINT: RGBColor = RGBColor(170, 176, 182);
const ZEBRA: RGBColor = RGBColor(245, 247, 250);
const GRID: RGBColor = RGBColor(222, 226, 232);
const AXIS: RGBColor = RGBColor(150, 158, 168);
const TRACK: RGBColor = RGBColor(230, 235, 241);
const PERCENT: RGBColor = RGBColor(47, 109, 181);
const DRAFT: RGBColor = RGBColor(232, 152, 40);
const COMPLETE: RGBColor = RGBColor(142, 96, 196);
const SUBMITTED: RGBColor = RGBColor(46, 155, 76);
const ZERO_CHIP: RGBColor = RGBColor(242, 243, 245);

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// The bundled font, parsed once; also registered with plotters, which
/// rasterises the glyphs.
fn bundled_font() -> Result<&'static FontRef<'static>, ChartError> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| {
        let parsed = FontRef::try_from_slice(FONT_BYTES).ok()?;
        register_font(FONT_NAME, FontStyle::Normal, FONT_BYTES).ok()?;
        Some(parsed)
    })
    .as_ref()
    .ok_or(ChartError::Font)
}

fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FONT_NAME), size, FontStyle::Normal)
}

/// Where each visible glyph of `s` goes: (character, x of its left pixel
/// bound relative to the text's origin), plus the advance width of `s`.
///
/// plotters 0.3.7's ab_glyph renderer drops each glyph's left side bearing
/// (so "DEPOSIT" draws as "DEPOSI T"); drawing glyph by glyph at positions
/// computed here gives correct spacing.
fn layout(font: &FontRef<'static>, s: &str, size: f64) -> (Vec<(char, i32)>, i32) {
    let scaled = font.as_scaled(size as f32);
    let mut glyphs = Vec::with_capacity(s.len());
    let mut pen = 0f32;
    let mut prev: Option<GlyphId> = None;
    for c in s.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        if let Some(outline) = scaled.outline_glyph(scaled.scaled_glyph(c)) {
            // `as` saturates on floats; the sum saturates too, however long the text.
            let x = (pen.round() as i32).saturating_add(outline.px_bounds().min.x as i32);
            glyphs.push((c, x));
        }
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    (glyphs, pen.ceil() as i32)
}

fn text_width(s: &str, size: f64) -> i32 {
    // Without the font nothing is drawn anyway (render fails earlier).
    bundled_font().map_or(0, |f| layout(f, s, size).1)
}

/// Control characters (newlines, tabs, ...) would draw as boxes.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// `s` shortened with a trailing ellipsis so it fits in `max_w` pixels.
fn fit(s: &str, size: f64, max_w: i32) -> String {
    if text_width(s, size) <= max_w {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let kept = |n: usize| chars.iter().take(n).collect::<String>();
    // Binary search on the number of kept characters. `lo < hi` makes `mid` at least 1, and
    // both bounds are at most `chars.len()`, so neither step saturates.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = lo.saturating_add(hi).div_ceil(2);
        if text_width(&(kept(mid) + "…"), size) <= max_w {
            lo = mid
        } else {
            hi = mid.saturating_sub(1)
        }
    }
    if lo == 0 {
        String::new()
    } else {
        kept(lo).trim_end().to_string() + "…"
    }
}

/// Greedy word wrap into at most `max_lines` lines of `max_w` pixels.
fn wrap(s: &str, size: f64, max_w: i32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut overflow = false;
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= max_w || current.is_empty() {
            current = candidate;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        current = word.to_string();
        if lines.len() == max_lines {
            overflow = true;
            break;
        }
    }
    if !overflow && !current.is_empty() {
        lines.push(current);
    }
    if let Some(last) = lines.last_mut() {
        *last = if overflow {
            fit(&format!("{last} …"), size, max_w)
        } else {
            fit(last, size, max_w)
        };
        if overflow && !last.ends_with('…') {
            last.push('…');
        }
    }
    lines.truncate(max_lines);
    lines
}

/// Legend entries laid out left to right, wrapping to new lines:
/// (line index, x of swatch, colour, text).
fn legend_layout(labels: &ChartLabels) -> Vec<(i32, i32, RGBColor, String)> {
    let entries = [
        (PERCENT, &labels.percent_axis),
        (DRAFT, &labels.draft),
        (COMPLETE, &labels.complete),
        (SUBMITTED, &labels.submitted),
    ];
    let max_text = RIGHT - MARGIN - SWATCH - 8;
    let mut out = Vec::new();
    let (mut line, mut x) = (0i32, MARGIN);
    for (color, label) in entries {
        let text = fit(&clean(label), LEGEND_SIZE, max_text);
        // `fit` keeps the text within `max_text`, so none of this comes near saturating.
        let w = text_width(&text, LEGEND_SIZE).saturating_add(SWATCH + 8);
        if x > MARGIN && x.saturating_add(w) > RIGHT {
            line = line.saturating_add(1);
            x = MARGIN;
        }
        out.push((line, x, color, text));
        x = x.saturating_add(w).saturating_add(28);
    }
    out
}

/// Mixes `c` towards white; `amount` 0 keeps it, 1 gives white.
fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let m = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

// ---------------------------------------------------------------- drawing

struct Painter<'a> {
    area: Area<'a>,
}

impl Painter<'_> {
    fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, color: RGBColor) -> Result<(), ChartError> {
        self.area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))
            .map_err(draw_err)
    }

    /// Text whose baseline is at `baseline`; `x` is its left, centre or right
    /// edge according to `h`.
    fn text(
        &self,
        s: &str,
        x: i32,
        baseline: i32,
        size: f64,
        color: RGBColor,
        h: HPos,
    ) -> Result<(), ChartError> {
        if s.is_empty() {
            return Ok(());
        }
        let (glyphs, width) = layout(bundled_font()?, s, size);
        // Saturating: a text too wide for the image is clipped, however wide it is.
        let origin = match h {
            HPos::Left => x,
            HPos::Center => x.saturating_sub(width / 2),
            HPos::Right => x.saturating_sub(width),
        };
        // plotters' ab_glyph renderer puts the baseline half a font size below
        // the top-anchored position.
        let top = baseline.saturating_sub((size / 2.0).round() as i32);
        let style = font(size)
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let mut buf = [0u8; 4];
        for (c, dx) in glyphs {
            self.area
                .draw_text(
                    c.encode_utf8(&mut buf),
                    &style,
                    (origin.saturating_add(dx), top),
                )
                .map_err(draw_err)?;
        }
        Ok(())
    }

    /// Baseline that visually centres digits/capitals of `size` on `mid`.
    fn centred_baseline(mid: i32, size: f64) -> i32 {
        mid.saturating_add((size * 0.36).round() as i32)
    }
}

/// Renders the progress chart as a PNG about 1000 px wide whose height grows
/// with the number of units.
///
/// Each unit gets one row: its code, a horizontal bar of its average percent
/// complete (0–100 axis) with the number beside it, and its innovation counts
/// by state (draft / complete / submitted) in coloured cells. Above the rows
/// are the title (wrapped to at most three lines) and a legend. With no units
/// the chart shows `labels.empty`. Rows keep the given order.
pub fn render_progress_chart(
    units: &[UnitProgress],
    labels: &ChartLabels,
) -> Result<Vec<u8>, ChartError> {
    if units.len() > MAX_UNITS {
        return Err(ChartError::TooManyUnits {
            count: units.len(),
            max: MAX_UNITS,
        });
    }
    bundled_font()?;
    // Nothing below is expected to panic; this keeps a bug in a dependency
    // from taking the caller down with it.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(units, labels)))
        .unwrap_or(Err(ChartError::Internal))
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "pixel layout: at most TITLE_MAX_LINES title lines, 4 legend lines and MAX_UNITS rows \
              (render_progress_chart, the only caller, checks the count), so every coordinate \
              and the buffer size stay far below i32::MAX"
)]
fn render(units: &[UnitProgress], labels: &ChartLabels) -> Result<Vec<u8>, ChartError> {
    let title = wrap(
        &clean(&labels.title),
        TITLE_SIZE,
        RIGHT - MARGIN,
        TITLE_MAX_LINES,
    );
    let legend = legend_layout(labels);
    let legend_lines = legend.iter().map(|e| e.0).max().unwrap_or(0) + 1;

    let title_top = 16;
    let legend_top = title_top + TITLE_LINE * title.len().max(1) as i32 + 6;
    let header_top = legend_top + LEGEND_LINE * legend_lines + 8;
    let rows_top = header_top + HEADER_H;
    let rows_h = if units.is_empty() {
        EMPTY_H
    } else {
        ROW_H * units.len() as i32
    };
    let rows_bottom = rows_top + rows_h;
    let height = rows_bottom + if units.is_empty() { 24 } else { FOOTER_H };
    let height = u32::try_from(height).map_err(draw_err)?;

    let mut pixels = vec![0u8; WIDTH as usize * height as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (WIDTH, height)).into_drawing_area();
        area.fill(&BG).map_err(draw_err)?;
        let p = Painter { area };

        for (i, line) in title.iter().enumerate() {
            let baseline = title_top + TITLE_LINE * i as i32 + 22;
            p.text(line, MARGIN, baseline, TITLE_SIZE, INK, HPos::Left)?;
        }
        for (line, x, color, text) in &legend {
            let mid = legend_top + LEGEND_LINE * line + LEGEND_LINE / 2;
            p.rect(*x, mid - SWATCH / 2, x + SWATCH, mid + SWATCH / 2, *color)?;
            let baseline = Painter::centred_baseline(mid, LEGEND_SIZE);
            p.text(text, x + SWATCH + 8, baseline, LEGEND_SIZE, INK, HPos::Left)?;
        }
        // Thin separator under the legend.
        p.rect(MARGIN, header_top - 4, RIGHT, header_top - 3, GRID)?;

        if units.is_empty() {
            draw_empty(&p, labels, rows_top)?;
        } else {
            draw_rows(&p, units, labels, header_top, rows_top, rows_bottom)?;
        }
        p.area.present().map_err(draw_err)?;
    }
    encode_png(&pixels, WIDTH, height)
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "pixel layout from constants and `top`, which render keeps below a few thousand"
)]
fn draw_empty(p: &Painter<'_>, labels: &ChartLabels, top: i32) -> Result<(), ChartError> {
    p.rect(MARGIN, top + 6, RIGHT, top + EMPTY_H - 6, ZEBRA)?;
    let mid = WIDTH as i32 / 2;
    p.text(
        &fit(&labels.empty, 18.0, RIGHT - MARGIN - 20),
        mid,
        top + 52,
        18.0,
        INK,
        HPos::Center,
    )?;
    let counts = format!(
        "{} 0  ·  {} 0  ·  {} 0",
        clean(&labels.draft),
        clean(&labels.complete),
        clean(&labels.submitted)
    );
    p.text(
        &fit(&counts, 14.0, RIGHT - MARGIN - 20),
        mid,
        top + 82,
        14.0,
        MUTED,
        HPos::Center,
    )
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "percent is clamped to 100 and the bar ends are small constants"
)]
fn percent_x(percent: u8) -> i32 {
    BAR_X0 + (BAR_X1 - BAR_X0) * i32::from(percent.min(100)) / 100
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "pixel layout: constants, row indexes below MAX_UNITS, and y positions that render \
              keeps below a few thousand"
)]
fn draw_rows(
    p: &Painter<'_>,
    units: &[UnitProgress],
    labels: &ChartLabels,
    header_top: i32,
    rows_top: i32,
    rows_bottom: i32,
) -> Result<(), ChartError> {
    // Zebra stripes first, so grid lines and bars sit on top.
    for i in (1..units.len()).step_by(2) {
        let y = rows_top + ROW_H * i as i32;
        p.rect(MARGIN, y, RIGHT, y + ROW_H, ZEBRA)?;
    }

    // Percent grid and tick labels above and below the rows.
    let header_baseline = header_top + HEADER_H - 9;
    for pct in [0u8, 25, 50, 75, 100] {
        let x = percent_x(pct);
        let color = if pct == 0 || pct == 100 { AXIS } else { GRID };
        p.rect(x, rows_top, x + 1, rows_bottom, color)?;
        let tick = format!("{pct}%");
        p.text(&tick, x, header_baseline, SMALL_SIZE, MUTED, HPos::Center)?;
        p.text(&tick, x, rows_bottom + 16, SMALL_SIZE, MUTED, HPos::Center)?;
    }
    let caption = fit(
        &clean(&labels.percent_axis),
        SMALL_SIZE + 1.0,
        BAR_X1 - BAR_X0 + 60,
    );
    p.text(
        &caption,
        (BAR_X0 + BAR_X1) / 2,
        rows_bottom + 38,
        SMALL_SIZE + 1.0,
        INK,
        HPos::Center,
    )?;

    // Column headers for the counts, squeezed to the column width.
    let columns = [
        (DRAFT, &labels.draft),
        (COMPLETE, &labels.complete),
        (SUBMITTED, &labels.submitted),
    ];
    for (i, (color, label)) in columns.iter().enumerate() {
        let x0 = COLS_X0 + COL_W * i as i32;
        let text = fit(&clean(label), SMALL_SIZE, COL_W - 4);
        p.text(
            &text,
            x0 + COL_W / 2,
            header_baseline,
            SMALL_SIZE,
            INK,
            HPos::Center,
        )?;
        p.rect(
            x0 + 8,
            header_top + HEADER_H - 4,
            x0 + COL_W - 8,
            header_top + HEADER_H - 2,
            *color,
        )?;
    }

    for (i, unit) in units.iter().enumerate() {
        let top = rows_top + ROW_H * i as i32;
        let mid = top + ROW_H / 2;
        let baseline = Painter::centred_baseline(mid, ROW_SIZE);

        let code = fit(&clean(&unit.unit_code), ROW_SIZE, CODE_X1 - CODE_X0);
        p.text(&code, CODE_X0 + 4, baseline, ROW_SIZE, INK, HPos::Left)?;

        let percent = unit.average_percent.min(100);
        let (y0, y1) = (mid - BAR_H / 2, mid + BAR_H / 2);
        p.rect(BAR_X0, y0, BAR_X1, y1, TRACK)?;
        let end = percent_x(percent);
        if end > BAR_X0 {
            p.rect(BAR_X0, y0, end, y1, PERCENT)?;
        }
        p.text(
            &format!("{percent}%"),
            end + 6,
            baseline,
            ROW_SIZE,
            INK,
            HPos::Left,
        )?;

        for (j, (color, count)) in [
            (DRAFT, unit.draft),
            (COMPLETE, unit.complete),
            (SUBMITTED, unit.submitted),
        ]
        .into_iter()
        .enumerate()
        {
            let x0 = COLS_X0 + COL_W * j as i32;
            let (fill, ink) = if count == 0 {
                (ZERO_CHIP, FAINT)
            } else {
                (tint(color, 0.72), INK)
            };
            p.rect(x0 + 8, mid - 9, x0 + COL_W - 8, mid + 9, fill)?;
            if count > 0 {
                p.rect(x0 + 8, mid - 9, x0 + 11, mid + 9, color)?;
            }
            // Big numbers get a smaller font rather than an ellipsis.
            let number = count.to_string();
            let size = [ROW_SIZE, 11.0, 9.0]
                .into_iter()
                .find(|&s| text_width(&number, s) <= COL_W - 22)
                .unwrap_or(9.0);
            let text = fit(&number, size, COL_W - 20);
            let baseline = Painter::centred_baseline(mid, size);
            p.text(&text, x0 + COL_W / 2 + 1, baseline, size, ink, HPos::Center)?;
        }
    }
    Ok(())
}

fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::with_capacity(pixels.len() / 16);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests may panic")]
mod tests {
    use super::*;
    use std::time::Instant;

    fn labels() -> ChartLabels {
        ChartLabels {
            title: "Progres KIPP per unit kerja — Jumat, 28 November 2026 — 12 hari lagi".into(),
            draft: "Draf".into(),
            complete: "Lengkap".into(),
            submitted: "Terkirim".into(),
            percent_axis: "Rata-rata persen kelengkapan (%)".into(),
            empty: "Belum ada data inovasi dari unit kerja.".into(),
        }
    }

    fn unit(i: usize) -> UnitProgress {
        let codes = [
            "PUSDATIN",
            "UPT-BUNG-HATTA",
            "SETTAMA",
            "PUSJASA",
            "DIT-DEPOSIT",
            "BIRO-SDM",
        ];
        UnitProgress {
            unit_code: format!("{}-{}", codes[i % codes.len()], i + 1),
            draft: (i * 7 % 5) as u32,
            complete: (i * 3 % 4) as u32,
            submitted: (i * 5 % 6) as u32,
            average_percent: (i * 37 % 101) as u8,
        }
    }

    /// Decodes the PNG; returns (width, height, RGB(A) pixels, bytes per pixel).
    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>, usize) {
        assert!(bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]));
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf, info.color_type.samples())
    }

    fn save(name: &str, bytes: &[u8]) {
        let path = std::env::temp_dir().join(format!("chart-{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        println!("wrote {}", path.display());
    }

    #[test]
    fn heights_grow_with_units_and_width_is_fixed() {
        let mut last = 0;
        for n in [1usize, 2, 10, 60] {
            let units: Vec<_> = (0..n).map(unit).collect();
            let png = render_progress_chart(&units, &labels()).unwrap();
            let (w, h, _, _) = decode(&png);
            assert_eq!(w, WIDTH);
            assert!(h > last, "{n} units: height {h} not above {last}");
            last = h;
        }
    }

    #[test]
    fn empty_chart_says_so() {
        let png = render_progress_chart(&[], &labels()).unwrap();
        let (w, h, pixels, bpp) = decode(&png);
        assert_eq!(w, WIDTH);
        assert!(h < 400);
        // Text was drawn: some dark pixels exist.
        assert!(
            pixels
                .chunks(bpp)
                .any(|p| p[0] < 80 && p[1] < 80 && p[2] < 80)
        );
        save("empty", &png);
    }

    #[test]
    fn one_unit() {
        let units = [UnitProgress {
            unit_code: "PUSDATIN".into(),
            draft: 2,
            complete: 1,
            submitted: 3,
            average_percent: 64,
        }];
        let png = render_progress_chart(&units, &labels()).unwrap();
        let (_, h, pixels, bpp) = decode(&png);
        assert!(h < 400);
        // The filled part of the percent bar is present.
        let px = |x: usize, y: usize| &pixels[(y * WIDTH as usize + x) * bpp..][..3];
        let found = (0..h as usize)
            .any(|y| px(((BAR_X0 + 20) as usize).min(999), y) == [PERCENT.0, PERCENT.1, PERCENT.2]);
        assert!(found);
        save("one", &png);
    }

    #[test]
    fn sixty_units_render_quickly() {
        let units: Vec<_> = (0..60).map(unit).collect();
        let _ = render_progress_chart(&units[..1], &labels()).unwrap(); // warm up font registration
        let start = Instant::now();
        let png = render_progress_chart(&units, &labels()).unwrap();
        let elapsed = start.elapsed();
        println!("rendered 60 units in {elapsed:?} ({} bytes)", png.len());
        let (w, h, _, _) = decode(&png);
        assert_eq!(w, WIDTH);
        assert!(h > 60 * ROW_H as u32);
        save("sixty", &png);
    }

    #[test]
    fn awkward_input_does_not_panic() {
        let long = ChartLabels {
            title: format!(
                "Progres KIPP — {} — Sekretariat Utama é",
                "sangat-panjang ".repeat(30)
            ),
            draft: "Draf atau dikembalikan untuk diperbaiki".into(),
            complete: "Lengkap, belum dikirim ke tim penilai".into(),
            submitted: "Terkirim, disetujui atau terpilih sebagai inovasi unggulan".into(),
            percent_axis: "Rata-rata persen kelengkapan jawaban wajib per unit kerja (%) — café é"
                .into(),
            empty: "Belum ada data inovasi dari unit kerja mana pun — café é ".repeat(20),
        };
        let units = vec![
            UnitProgress {
                unit_code: "UPT-PERPUSTAKAAN-PROKLAMATOR-BUNG-HATTA-BUKITTINGGI-SUMATERA-BARAT"
                    .into(),
                draft: u32::MAX,
                complete: 0,
                submitted: 1_000_000,
                average_percent: 255,
            },
            UnitProgress {
                unit_code: String::new(),
                draft: 0,
                complete: 0,
                submitted: 0,
                average_percent: 0,
            },
            UnitProgress {
                unit_code: "TAB\tNEW\nLINE 🚀 漢字 é".into(),
                draft: 1,
                complete: 2,
                submitted: 3,
                average_percent: 100,
            },
        ];
        let png = render_progress_chart(&units, &long).unwrap();
        let (w, _, _, _) = decode(&png);
        assert_eq!(w, WIDTH);
        save("long", &png);

        let empty_labels = ChartLabels {
            title: String::new(),
            draft: String::new(),
            complete: String::new(),
            submitted: String::new(),
            percent_axis: String::new(),
            empty: String::new(),
        };
        decode(&render_progress_chart(&units, &empty_labels).unwrap());
        decode(&render_progress_chart(&[], &empty_labels).unwrap());

        let too_many: Vec<_> = (0..MAX_UNITS + 1).map(unit).collect();
        assert!(matches!(
            render_progress_chart(&too_many, &labels()),
            Err(ChartError::TooManyUnits { count, max: MAX_UNITS }) if count == MAX_UNITS + 1
        ));
    }

    #[test]
    fn renders_from_several_threads() {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    let units: Vec<_> = (0..10 + t).map(unit).collect();
                    render_progress_chart(&units, &labels()).unwrap()
                })
            })
            .collect();
        for h in handles {
            let (w, _, _, _) = decode(&h.join().unwrap());
            assert_eq!(w, WIDTH);
        }
    }

    #[test]
    fn output_is_deterministic() {
        let units: Vec<_> = (0..5).map(unit).collect();
        assert_eq!(
            render_progress_chart(&units, &labels()).unwrap(),
            render_progress_chart(&units, &labels()).unwrap()
        );
    }
}
