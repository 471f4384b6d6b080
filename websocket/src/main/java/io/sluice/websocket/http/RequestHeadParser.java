package io.sluice.websocket.http;

/** Parses a request line ({@code METHOD SP target SP HTTP/1.1}) and the fields after it. */
final class RequestHeadParser extends HeadParser<HttpRequestHead> {

    private String method;
    private String target;
    private String version;

    RequestHeadParser(HttpLimits limits) {
        super(limits);
    }

    @Override
    protected boolean skipsLeadingEmptyLines() {
        return true;
    }

    @Override
    protected void startLine(String line) throws HttpHeadException {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw HttpHeadException.malformed("malformed request line");
        }
        method = CommonStrings.share(line.substring(0, sp1));
        target = CommonStrings.share(line.substring(sp1 + 1, sp2));
        version = CommonStrings.share(line.substring(sp2 + 1));
        if (!HttpTokens.isToken(method)) {
            throw HttpHeadException.malformed("malformed request method");
        }
        if (!validTarget(target)) {
            throw HttpHeadException.malformed("malformed request target");
        }
        checkVersion(version);
    }

    /** Origin-form, absolute-form or {@code *}, made of visible ASCII only (RFC 7230 §5.3). */
    private static boolean validTarget(String target) {
        if (target.isEmpty()) {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return target.charAt(0) == '/' || target.equals("*") || target.contains("://");
    }

    @Override
    protected HttpRequestHead build(HttpHeaders headers) {
        return new HttpRequestHead(method, target, version, headers);
    }
}
