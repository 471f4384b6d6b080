package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 7692 answer rules the compression tests hold the sample to, each shown to catch what it is for. */
class DeflateAnswerRulesTest {

    private static final String HINTS = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        HINTS + "                                | permessage-deflate",
        HINTS + "                                | permessage-deflate; client_no_context_takeover",
        HINTS + "                                | permessage-deflate; client_max_window_bits=9",
        HINTS + "; server_no_context_takeover    | permessage-deflate; server_no_context_takeover",
        HINTS + "; server_max_window_bits=9      | permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; client_max_window_bits=10 | permessage-deflate; client_max_window_bits=10",
    })
    void allowsWhatTheRfcAllows(String offer, String answer) {
        assertThat(DeflateAnswerRules.violations(offer, answer)).isEmpty();
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        HINTS + "                                 | x-webkit-deflate-frame                                      | not permessage-deflate",
        HINTS + ", permessage-deflate             | permessage-deflate, permessage-deflate                      | more than one extension",
        HINTS + "; server_no_context_takeover     | permessage-deflate                                          | server_no_context_takeover offered but not answered",
        HINTS + "; server_max_window_bits=9       | permessage-deflate                                          | server_max_window_bits offered but not answered",
        HINTS + "; server_max_window_bits=9       | permessage-deflate; server_max_window_bits=10               | server_max_window_bits=10 for an offer of 9",
        "permessage-deflate                       | permessage-deflate; server_max_window_bits=15               | server_max_window_bits answered but not offered",
        "permessage-deflate                       | permessage-deflate; client_max_window_bits=15               | client_max_window_bits answered but not offered",
        HINTS + "                                 | permessage-deflate; client_max_window_bits                  | client_max_window_bits answered without a valid value",
        "permessage-deflate; client_max_window_bits=10 | permessage-deflate; client_max_window_bits=12          | client_max_window_bits=12 for an offer of 10",
        HINTS + "                                 | permessage-deflate; client_no_context_takeover=1            | client_no_context_takeover with a value",
        HINTS + "                                 | permessage-deflate; mystery                                 | unknown parameter mystery",
        HINTS + "                                 | permessage-deflate; client_no_context_takeover; client_no_context_takeover | duplicate parameter",
    })
    void catchesWhatTheRfcForbids(String offer, String answer, String why) {
        assertThat(DeflateAnswerRules.violations(offer, answer)).anySatisfy(v -> assertThat(v).startsWith(why));
    }
}
