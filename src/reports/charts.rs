//! Charts drawn on the server as SVG: they show on the page without any script, print into
//! the PDF as they look on screen, and need nothing from outside.

const BAR_COLOR: &str = "#a4262c";
const LINE_COLOR: &str = "#2f6fde";

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars, one per row, longest first as given.
pub fn bars(rows: &[(String, i64)]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let (label_w, bar_w, row_h) = (170.0, 300.0, 22.0);
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64;
    let height = row_h * rows.len() as f64 + 6.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {w} {height}" width="{w}" height="{height}" font-size="12" font-family="sans-serif">"#,
        w = label_w + bar_w + 60.0
    );
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 3.0;
        let w = (*value as f64 / max * bar_w).max(if *value > 0 { 1.0 } else { 0.0 });
        svg.push_str(&format!(
            r#"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{label_w}" y="{y}" width="{w:.1}" height="{bh}" fill="{BAR_COLOR}"><title>{label}: {value}</title></rect><text x="{vx:.1}" y="{ty}">{value}</text>"#,
            lx = label_w - 6.0,
            ty = y + 13.0,
            label = escape(label),
            bh = row_h - 6.0,
            vx = label_w + w + 4.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// A line over time, for counts per month.
pub fn line(points: &[(String, i64)]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let (w, h, left, bottom, top) = (640.0, 200.0, 36.0, 24.0, 10.0);
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64;
    let step = if points.len() > 1 {
        (w - left - 10.0) / (points.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| left + i as f64 * step;
    let y = |v: i64| top + (h - top - bottom) * (1.0 - v as f64 / max);
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-size="11" font-family="sans-serif">"#
    );
    svg.push_str(&format!(
        r##"<line x1="{left}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{max}</text><text x="{tx}" y="{b}" text-anchor="end">0</text>"##,
        b = h - bottom,
        r = w - 10.0,
        tx = left - 4.0,
        ty = top + 4.0,
        max = max as i64,
    ));
    svg.push_str(&format!(
        r#"<polyline fill="none" stroke="{LINE_COLOR}" stroke-width="2" points="{}"/>"#,
        path.join(" ")
    ));
    for (i, (label, value)) in points.iter().enumerate() {
        svg.push_str(&format!(
            r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{LINE_COLOR}"><title>{}: {value}</title></circle>"#,
            x(i),
            y(*value),
            escape(label)
        ));
        if i % 3 == 0 || i + 1 == points.len() {
            svg.push_str(&format!(
                r#"<text x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x(i),
                h - 6.0,
                escape(label)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(&[("<b>台山</b>".into(), 10), ("开平".into(), 5)]);
        assert!(svg.contains(r#"width="300.0""#) && svg.contains(r#"width="150.0""#), "{svg}");
        assert!(svg.contains("&lt;b&gt;台山") && !svg.contains("<b>"));
    }

    #[test]
    fn a_line_has_a_point_per_month() {
        let points: Vec<(String, i64)> = (1..=12).map(|m| (format!("2026-{m:02}"), m)).collect();
        let svg = line(&points);
        assert_eq!(svg.matches("<circle").count(), 12);
        assert!(svg.contains("2026-12"));
    }
}
