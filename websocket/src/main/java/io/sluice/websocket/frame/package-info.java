/**
 * The WebSocket wire formats, one concern per class: the numbers of RFC 6455 ({@link
 * io.sluice.websocket.frame.WebSocketProtocol}), frame readers ({@link io.sluice.websocket.frame.Rfc6455FrameReader},
 * {@link io.sluice.websocket.frame.Hixie76FrameReader}) and writers, masking, incremental UTF-8 validation, close
 * payloads, and permessage-deflate (RFC 7692) on the toolkit's message compressor.
 *
 * <p>These are push parsers and encoders, not operators: {@link io.sluice.websocket.WebSocketSession} drives them
 * from its drain loops, on demand. Every class says who owns each buffer that crosses it; violations of the
 * protocol surface as {@link io.sluice.websocket.frame.WebSocketProtocolException} carrying the close code.
 */
package io.sluice.websocket.frame;
