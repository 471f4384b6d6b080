package io.sluice.websocket.handshake;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The legacy challenge of draft-hixie-thewebsocketprotocol-76 (= draft-ietf-hybi-thewebsocketprotocol-00, §5.2):
 * each of {@code Sec-WebSocket-Key1} and {@code Key2} yields a 32-bit number, its digits divided by its spaces; the
 * answer is the MD5 of both numbers (big-endian) and the 8 bytes the client sends after its head.
 */
final class Hixie76 {

    static final int CHALLENGE_LENGTH = 8;

    private Hixie76() {
    }

    /** The key's number, or -1 when the key has no space, its number is not a multiple of them, or overflows. */
    static long keyNumber(String key) {
        long digits = 0;
        int spaces = 0;
        int digitCount = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digitCount > 10) {
                    return -1;
                }
                digits = digits * 10 + (c - '0');
            } else if (c == ' ') {
                spaces++;
            }
        }
        if (spaces == 0 || digits % spaces != 0 || digits / spaces > 0xFFFF_FFFFL) {
            return -1;
        }
        return digits / spaces;
    }

    /** The 16-byte answer to the keys' numbers and the 8-byte challenge. */
    static byte[] answer(long number1, long number2, byte[] challenge) {
        ByteBuffer input = ByteBuffer.allocate(16);
        input.putInt((int) number1).putInt((int) number2).put(challenge);
        try {
            return MessageDigest.getInstance("MD5").digest(input.array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }
}
