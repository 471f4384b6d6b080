package io.sluice.websocket;
/** permessage-deflate (RFC 7692) parameters as agreed by both ends; window bits 8..15. */
public record PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
                                int serverMaxWindowBits, int clientMaxWindowBits) { }
