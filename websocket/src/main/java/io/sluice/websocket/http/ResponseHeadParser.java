package io.sluice.websocket.http;

/** Parses a status line ({@code HTTP/1.1 SP 3DIGIT SP reason}) and the fields after it. */
final class ResponseHeadParser extends HeadParser<HttpResponseHead> {

    private String version;
    private int status;
    private String reason;

    ResponseHeadParser(HttpLimits limits) {
        super(limits);
    }

    @Override
    protected boolean skipsLeadingEmptyLines() {
        return false;
    }

    @Override
    protected void startLine(String line) throws HttpHeadException {
        // The reason phrase may be empty, and some servers drop the space before it.
        if (line.length() < 12 || line.charAt(8) != ' ' || line.length() > 12 && line.charAt(12) != ' ') {
            throw HttpHeadException.malformed("malformed status line");
        }
        version = line.substring(0, 8);
        checkVersion(version);
        for (int i = 9; i < 12; i++) {
            if (!isDigit(line.charAt(i))) {
                throw HttpHeadException.malformed("malformed status code");
            }
        }
        status = Integer.parseInt(line.substring(9, 12));
        if (status < 100) {
            throw HttpHeadException.malformed("malformed status code");
        }
        reason = line.length() > 13 ? line.substring(13) : "";
        for (int i = 0; i < reason.length(); i++) {
            if (!HttpTokens.isValueChar(reason.charAt(i))) {
                throw HttpHeadException.malformed("invalid character in the reason phrase");
            }
        }
    }

    @Override
    protected HttpResponseHead build(HttpHeaders headers) {
        return new HttpResponseHead(version, status, reason, headers);
    }
}
