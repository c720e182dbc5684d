package org.datalayerlab.kernel.display;

/**
 * Tablesaw tables as a plain HTML table (values escaped) and as text; long tables show head and tail.
 * Tablesaw is the one the cell loaded; its public API is called by name (see {@link PublicApi}).
 */
final class TableHtml {

    static final int MAX_ROWS = 50;
    static final int HEAD_ROWS = 40;
    static final int TAIL_ROWS = 10;

    private TableHtml() {
    }

    static String html(Object value) {
        Object table = value;
        int rows = (Integer) PublicApi.call(table, "rowCount");
        int cols = (Integer) PublicApi.call(table, "columnCount");
        StringBuilder html = new StringBuilder("<table class=\"dataframe\">\n");
        html.append("<caption>").append(escape(String.valueOf(java.util.Objects.requireNonNullElse(PublicApi.call(table, "name"), ""))))
                .append(" (").append(rows).append(" rows \u00d7 ").append(cols).append(" columns)</caption>\n");
        html.append("<thead><tr>");
        for (Object name : (Iterable<?>) PublicApi.call(table, "columnNames")) {
            html.append("<th>").append(escape(String.valueOf(name))).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        if (rows <= MAX_ROWS) {
            appendRows(html, table, 0, rows);
        } else {
            appendRows(html, table, 0, HEAD_ROWS);
            html.append("<tr>");
            for (int c = 0; c < cols; c++) {
                html.append("<td>\u2026</td>");
            }
            html.append("</tr>\n");
            appendRows(html, table, rows - TAIL_ROWS, rows);
        }
        return html.append("</tbody>\n</table>").toString();
    }

    static String text(Object value) {
        int rows = (Integer) PublicApi.call(value, "rowCount");
        return String.valueOf(rows <= MAX_ROWS ? PublicApi.call(value, "printAll") : PublicApi.call(value, "print", MAX_ROWS));
    }

    private static void appendRows(StringBuilder html, Object table, int from, int to) {
        int cols = (Integer) PublicApi.call(table, "columnCount");
        for (int r = from; r < to; r++) {
            html.append("<tr>");
            for (int c = 0; c < cols; c++) {
                html.append("<td>").append(escape(String.valueOf(PublicApi.call(table, "getString", r, c)))).append("</td>");
            }
            html.append("</tr>\n");
        }
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(ch);
            }
        }
        return out.toString();
    }
}
