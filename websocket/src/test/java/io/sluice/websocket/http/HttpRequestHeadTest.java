package io.sluice.websocket.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parts of a request target (RFC 7230 §5.3): origin-form and absolute-form give the same path and query. */
class HttpRequestHeadTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # target                               | path  | query     | originForm    | authority
            /chat                                  | /chat | -         | /chat         | -
            /chat?room=1                           | /chat | room=1    | /chat?room=1  | -
            /                                      | /     | -         | /             | -
            http://h.example/chat                  | /chat | -         | /chat         | h.example
            http://h.example:8080/chat?room=1&x=2  | /chat | room=1&x=2 | /chat?room=1&x=2 | h.example:8080
            ws://h.example                         | /     | -         | /             | h.example
            http://h.example?room=1                | /     | room=1    | /?room=1      | h.example
            http://user:pw@h.example/chat          | /chat | -         | /chat         | h.example
            """)
    void splitsTheTargetAlikeInEitherForm(String target, String path, String query, String originForm,
            String authority) {
        HttpRequestHead head = new HttpRequestHead("GET", target, "HTTP/1.1", HttpHeaders.of("Host", "h.example"));

        assertThat(head.path()).isEqualTo(path);
        assertThat(head.query()).isEqualTo(query);
        assertThat(head.originForm()).isEqualTo(originForm);
        assertThat(head.authority()).isEqualTo(authority);
    }
}
