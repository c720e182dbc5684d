package org.datalayerlab.kernel.jupyter;

import org.datalayerlab.kernel.engine.CellEngine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPython's help syntax, {@code ?Name} or {@code Name?} alone in a cell: the documentation of Name
 * (signature and Javadoc, as Shift-Tab shows it) goes to the front end's pager instead of the cell.
 */
record HelpRequest(String name) {

    private static final Pattern HELP = Pattern.compile("\\s*(?:\\?\\s*([\\w.$()]+)|([\\w.$()]+)\\s*\\?)\\s*");

    /** The request in {@code code}, or null when the cell is ordinary code. */
    static HelpRequest parse(String code) {
        Matcher m = HELP.matcher(code);
        if (!m.matches()) {
            return null;
        }
        return new HelpRequest(m.group(1) != null ? m.group(1) : m.group(2));
    }

    /** The page's MIME bundle (always with text/plain, as the pager needs). */
    Map<String, Object> page(CellEngine engine) {
        Map<String, Object> doc = engine.inspect(name, name.length(), 1);
        if (doc == null || !doc.containsKey("text/plain")) {
            return Map.of("text/plain", "No documentation found for " + name
                    + " (is it defined, or imported in an earlier cell?)");
        }
        return doc;
    }
}
