package io.sluice.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a server may answer to one permessage-deflate offer it accepts (RFC 7692 §7.1), written for these tests from
 * the RFC: one element, only the four parameters, each at most once; {@code server_no_context_takeover} echoed when
 * offered; {@code server_max_window_bits} answered when (and only when) offered, with a value no larger;
 * {@code client_max_window_bits} only when offered, always with a value 8..15, no larger than an offered value;
 * {@code client_no_context_takeover} at the server's choice. Clients in the field are stricter than the RFC about
 * window bits the server picks itself, so answering one that was not offered counts as a violation here too.
 */
public final class DeflateAnswerRules {

    private DeflateAnswerRules() {
    }

    /** Every rule {@code answer} breaks for {@code offer} (one element, as the client wrote it); empty when none. */
    public static List<String> violations(String offer, String answer) {
        List<String> broken = new ArrayList<>();
        if (answer == null || answer.isBlank()) {
            broken.add("no permessage-deflate answer");
            return broken;
        }
        if (answer.contains(",")) {
            broken.add("more than one extension answered: " + answer);
            return broken;
        }
        Map<String, String> offered = params(offer, broken);
        Map<String, String> answered = params(answer, broken);
        for (Map.Entry<String, String> p : answered.entrySet()) {
            String name = p.getKey();
            String value = p.getValue();
            switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (value != null) {
                        broken.add(name + " with a value");
                    }
                }
                case "server_max_window_bits" -> {
                    if (!offered.containsKey(name)) {
                        broken.add(name + " answered but not offered");
                    } else if (!windowBits(value) || Integer.parseInt(value) > Integer.parseInt(offered.get(name))) {
                        broken.add(name + "=" + value + " for an offer of " + offered.get(name));
                    }
                }
                case "client_max_window_bits" -> {
                    if (!offered.containsKey(name)) {
                        broken.add(name + " answered but not offered");
                    } else if (!windowBits(value)) {
                        broken.add(name + " answered without a valid value: " + value);
                    } else if (offered.get(name) != null
                            && Integer.parseInt(value) > Integer.parseInt(offered.get(name))) {
                        broken.add(name + "=" + value + " for an offer of " + offered.get(name));
                    }
                }
                default -> broken.add("unknown parameter " + name);
            }
        }
        if (offered.containsKey("server_no_context_takeover") && !answered.containsKey("server_no_context_takeover")) {
            broken.add("server_no_context_takeover offered but not answered");
        }
        if (offered.containsKey("server_max_window_bits") && !answered.containsKey("server_max_window_bits")) {
            broken.add("server_max_window_bits offered but not answered");
        }
        return broken;
    }

    private static boolean windowBits(String value) {
        return value != null && value.matches("8|9|1[0-5]");
    }

    private static Map<String, String> params(String element, List<String> broken) {
        String[] parts = element.split(";");
        if (!parts[0].trim().equalsIgnoreCase("permessage-deflate")) {
            broken.add("not permessage-deflate: " + parts[0].trim());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : part.substring(eq + 1).trim().replace("\"", "");
            if (params.containsKey(name)) {
                broken.add("duplicate parameter " + name);
            }
            params.put(name, value);
        }
        return params;
    }
}
