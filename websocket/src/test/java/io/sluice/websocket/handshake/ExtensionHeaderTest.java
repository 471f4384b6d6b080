package io.sluice.websocket.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The {@code Sec-WebSocket-Extensions} grammar (RFC 6455 §9.1). */
class ExtensionHeaderTest {

    @Test
    void parsesExtensionsWithTokenAndQuotedParameters() throws Exception {
        assertThat(ExtensionHeader.parse("foo; a=1 ;b=\"2\"; c , bar,baz;q=\"x\\yz\"").toString())
                .isEqualTo("[foo; a=1; b=2; c, bar, baz; q=xyz]");
    }

    @Test
    void ignoresEmptyListElements() throws Exception {
        assertThat(ExtensionHeader.parse(" , permessage-deflate ,, ").toString()).isEqualTo("[permessage-deflate]");
    }

    @Test
    void refusesAnEmptyList() {
        assertThatThrownBy(() -> ExtensionHeader.parse(" , "))
                .isInstanceOf(ExtensionHeader.MalformedExtensionsException.class)
                .hasMessage("no extension listed at index 3");
    }

    @Test
    void refusesAQuotedValueThatIsNotAToken() {
        assertThatThrownBy(() -> ExtensionHeader.parse("foo; a=\"\""))
                .isInstanceOf(ExtensionHeader.MalformedExtensionsException.class)
                .hasMessage("a quoted parameter value must be a token at index 9");
    }

    @Test
    void refusesAParameterWithoutAName() {
        assertThatThrownBy(() -> ExtensionHeader.parse("foo; =1"))
                .isInstanceOf(ExtensionHeader.MalformedExtensionsException.class)
                .hasMessage("expected a token at index 5");
    }
}
