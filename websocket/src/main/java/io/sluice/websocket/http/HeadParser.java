package io.sluice.websocket.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses an HTTP/1.x head (RFC 7230 §3) incrementally: {@link #parse(ByteBuf)} consumes the complete lines of the
 * bytes received so far, however they were split, and returns the head once its empty line was read. Lines end with
 * CRLF; a bare LF or CR, obsolete line folding, whitespace before a field's colon and control characters are refused
 * with 400, a head beyond {@link HttpLimits} with 431 as soon as the bound is crossed.
 *
 * <p>Ownership: the parser never retains or releases the buffer passed in; it only advances its reader index past
 * the lines it consumed, so that after the head the buffer's readable bytes are those that followed it. One parser
 * reads one head, from one thread at a time.
 */
public abstract class HeadParser<H> {

    private final HttpLimits limits;
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    /** Bytes of the complete lines consumed so far. */
    private int consumed;
    /** Bytes of the current, unfinished line already scanned for its LF. */
    private int scanned;
    private boolean startLineRead;
    private H head;

    protected HeadParser(HttpLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Parses a request head. */
    public static HeadParser<HttpRequestHead> request(HttpLimits limits) {
        return new RequestHeadParser(limits);
    }

    /** Parses a response head. */
    public static HeadParser<HttpResponseHead> response(HttpLimits limits) {
        return new ResponseHeadParser(limits);
    }

    /** Bytes of head consumed so far. */
    public final int consumed() {
        return consumed;
    }

    /**
     * Consumes the complete lines readable in {@code in}; returns the head once its empty line was consumed, or null
     * when more bytes are needed. Must not be called again after it returned a head.
     *
     * @throws HttpHeadException when the bytes can never form an acceptable head
     */
    public final H parse(ByteBuf in) throws HttpHeadException {
        if (head != null) {
            throw new IllegalStateException("the head was already parsed");
        }
        for (;;) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int lf = in.indexOf(start + scanned, end, (byte) '\n');
            if (lf < 0) {
                scanned = end - start;
                checkSize(consumed + scanned);
                return null;
            }
            int lineLength = lf + 1 - start;
            checkSize(consumed + lineLength);
            if (lf == start || in.getByte(lf - 1) != '\r') {
                throw HttpHeadException.malformed("line not ended by CRLF");
            }
            String line = in.toString(start, lineLength - 2, StandardCharsets.ISO_8859_1);
            in.readerIndex(lf + 1);
            consumed += lineLength;
            scanned = 0;
            if (line.indexOf('\r') >= 0) {
                throw HttpHeadException.malformed("bare CR in the head");
            }
            if (line(line)) {
                return head;
            }
        }
    }

    /** Handles one line without its CRLF; true once the head is complete. */
    private boolean line(String line) throws HttpHeadException {
        if (!startLineRead) {
            if (line.isEmpty() && skipsLeadingEmptyLines()) {
                return false; // RFC 7230 §3.5: a server ignores empty lines before the request line
            }
            startLine(line);
            startLineRead = true;
            return false;
        }
        if (line.isEmpty()) {
            head = build(HttpHeaders.trusted(names, values));
            return true;
        }
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            throw HttpHeadException.malformed("obsolete line folding is not allowed");
        }
        field(line);
        return false;
    }

    private void field(String line) throws HttpHeadException {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw HttpHeadException.malformed("malformed header field");
        }
        String name = line.substring(0, colon);
        if (!HttpTokens.isToken(name)) {
            throw HttpHeadException.malformed("malformed header field name");
        }
        String value = withoutOptionalWhitespace(line, colon + 1);
        for (int i = 0; i < value.length(); i++) {
            if (!HttpTokens.isValueChar(value.charAt(i))) {
                throw HttpHeadException.malformed("invalid character in header " + name);
            }
        }
        if (names.size() == limits.maxHeaderCount()) {
            throw HttpHeadException.tooLarge("more than " + limits.maxHeaderCount() + " header fields");
        }
        names.add(CommonStrings.share(name));
        values.add(CommonStrings.share(value));
    }

    /**
     * The value that starts at {@code from}, without the optional whitespace around it: spaces and tabs only (RFC 7230
     * §3.2.3), so that any other control character at either end is left for the value check to refuse.
     */
    private static String withoutOptionalWhitespace(String line, int from) {
        int start = from;
        int end = line.length();
        while (start < end && isOptionalWhitespace(line.charAt(start))) {
            start++;
        }
        while (end > start && isOptionalWhitespace(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(start, end);
    }

    private static boolean isOptionalWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private void checkSize(long size) throws HttpHeadException {
        if (size > limits.maxHeadSize()) {
            throw HttpHeadException.tooLarge("head larger than " + limits.maxHeadSize() + " bytes");
        }
    }

    /** Whether empty lines before the start line are skipped (requests) rather than refused (responses). */
    protected abstract boolean skipsLeadingEmptyLines();

    /** Parses and keeps the start line. */
    protected abstract void startLine(String line) throws HttpHeadException;

    /** The head, from the start line kept and the header fields. */
    protected abstract H build(HttpHeaders headers);

    /**
     * Checks an {@code HTTP/x.y} version: 1.x is accepted, other well-formed versions are refused with 505 and
     * anything else with 400.
     */
    static void checkVersion(String version) throws HttpHeadException {
        if (version.length() != 8 || !version.startsWith("HTTP/") || version.charAt(6) != '.'
                || !isDigit(version.charAt(5)) || !isDigit(version.charAt(7))) {
            throw HttpHeadException.malformed("malformed HTTP version");
        }
        if (version.charAt(5) != '1') {
            throw new HttpHeadException(505, "HTTP version " + version.substring(5) + " is not supported");
        }
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
