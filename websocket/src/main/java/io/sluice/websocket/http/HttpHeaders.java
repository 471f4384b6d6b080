package io.sluice.websocket.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The header fields of an HTTP head, in the order they were received or added. Names compare case-insensitively
 * (RFC 7230 §3.2); a name may repeat, and list-valued fields may also carry several comma-separated elements in one
 * field (§3.2.2), which {@link #tokens(String)} and {@link #joined(String)} combine. Immutable; holds no buffers.
 */
public final class HttpHeaders {

    private static final HttpHeaders EMPTY = new HttpHeaders(new String[0]);

    /**
     * Name, value, name, value...: one array rather than two lists, since a session keeps its handshake's heads for
     * its whole life.
     */
    private final String[] fields;

    private HttpHeaders(String[] fields) {
        this.fields = fields;
    }

    public static HttpHeaders empty() {
        return EMPTY;
    }

    /** Headers from name/value pairs, validated as in {@link #with(String, String)}. */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        HttpHeaders headers = EMPTY;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers = headers.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    /**
     * A copy with one more field. The name must be a token and the value free of control characters other than
     * horizontal tab, so that a header built from application data cannot split the head it is written into.
     */
    public HttpHeaders with(String name, String value) {
        requireToken(name);
        requireValue(name, value);
        String[] f = Arrays.copyOf(fields, fields.length + 2);
        f[fields.length] = name;
        f[fields.length + 1] = value;
        return new HttpHeaders(f);
    }

    /** A copy without any field named {@code name}. */
    public HttpHeaders without(String name) {
        String[] f = new String[fields.length];
        int kept = 0;
        for (int i = 0; i < fields.length; i += 2) {
            if (!fields[i].equalsIgnoreCase(name)) {
                f[kept++] = fields[i];
                f[kept++] = fields[i + 1];
            }
        }
        return new HttpHeaders(Arrays.copyOf(f, kept));
    }

    /** Used by the parser, which has already checked names and values. */
    static HttpHeaders trusted(List<String> names, List<String> values) {
        String[] f = new String[names.size() * 2];
        for (int i = 0; i < names.size(); i++) {
            f[2 * i] = names.get(i);
            f[2 * i + 1] = values.get(i);
        }
        return new HttpHeaders(f);
    }

    public int size() {
        return fields.length / 2;
    }

    /** The name of the {@code index}th field, spelled as received. */
    public String name(int index) {
        return fields[2 * Objects.checkIndex(index, size())];
    }

    public String value(int index) {
        return fields[2 * Objects.checkIndex(index, size()) + 1];
    }

    public boolean contains(String name) {
        return count(name) > 0;
    }

    /** How many fields are named {@code name}. */
    public int count(String name) {
        int count = 0;
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                count++;
            }
        }
        return count;
    }

    /** The value of the first field named {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /** The values of every field named {@code name}, in order. */
    public List<String> getAll(String name) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                all.add(fields[i + 1]);
            }
        }
        return all;
    }

    /** Every field named {@code name} combined into one value, as a list-valued field may be (§3.2.2); or null. */
    public String joined(String name) {
        List<String> all = getAll(name);
        return all.isEmpty() ? null : String.join(", ", all);
    }

    /**
     * The elements of a comma-separated list field over all its fields, trimmed, empty elements dropped. For lists of
     * tokens only: elements holding quoted strings need their own parser.
     */
    public List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>();
        for (String value : getAll(name)) {
            for (String element : value.split(",", -1)) {
                String trimmed = element.strip();
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }

    /** Whether the list field {@code name} has an element equal to {@code token}, ignoring case. */
    public boolean containsToken(String name, String token) {
        for (String t : tokens(name)) {
            if (t.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static void requireToken(String name) {
        Objects.requireNonNull(name, "name");
        if (!HttpTokens.isToken(name)) {
            throw new IllegalArgumentException("header name is not a token: \"" + name + "\"");
        }
    }

    private static void requireValue(String name, String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            if (!HttpTokens.isValueChar(value.charAt(i))) {
                throw new IllegalArgumentException("header " + name + " has a forbidden character at index " + i);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpHeaders h && Arrays.equals(fields, h.fields);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fields);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < fields.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(fields[i]).append(": ").append(fields[i + 1]);
        }
        return sb.append('}').toString();
    }
}
