package io.sluice.websocket;
/** The wire format after the opening handshake. */
public enum WebSocketVersion { RFC6455, HYBI_07, HYBI_08, HIXIE_76 }   // HyBi 7/8 share RFC 6455 framing
