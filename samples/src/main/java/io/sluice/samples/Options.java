package io.sluice.samples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GNU-style command-line options shared by the samples: {@code --name value}, {@code --name=value}, flags without
 * a value, and {@code --help}, which lists every option with its default. Small on purpose, so that a sample stays
 * readable without a CLI library.
 */
public final class Options {

    private final String program;
    private final String summary;
    private final Map<String, Declared> declared = new LinkedHashMap<>();
    private final Map<String, String> values = new HashMap<>();
    private boolean helpRequested;
    private String positional;

    private record Declared(String name, String valueName, String defaultValue, String description) {
        boolean isFlag() {
            return valueName == null;
        }
    }

    public Options(String program, String summary) {
        this.program = program;
        this.summary = summary;
    }

    /** Declares an option taking a value; {@code defaultValue} may be null for an option with no default. */
    public Options option(String name, String valueName, String defaultValue, String description) {
        declared.put(name, new Declared(name, valueName, defaultValue, description));
        return this;
    }

    /**
     * Lets a bare argument (one not starting with {@code --}) set the declared option {@code name}, as in
     * {@code websocket-echo 9001}; at most one such argument.
     */
    public Options positional(String name) {
        if (!declared.containsKey(name) || declared.get(name).isFlag()) {
            throw new IllegalStateException("option --" + name + " must be declared with a value first");
        }
        this.positional = name;
        return this;
    }

    /** Declares a flag: present or absent, no value. */
    public Options flag(String name, String description) {
        declared.put(name, new Declared(name, null, null, description));
        return this;
    }

    /**
     * Reads {@code args}; throws {@link IllegalArgumentException} naming the offending argument. After
     * {@code --help}, {@link #helpRequested()} is true and the rest is not checked.
     */
    public Options parse(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                helpRequested = true;
                return this;
            }
            if (!arg.startsWith("--")) {
                if (positional == null || values.containsKey(positional)) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
                values.put(positional, arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            Declared d = declared.get(name);
            if (d == null) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (d.isFlag()) {
                if (eq >= 0) {
                    throw new IllegalArgumentException("option --" + name + " takes no value");
                }
                values.put(name, "true");
            } else if (eq >= 0) {
                values.put(name, arg.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("option --" + name + " needs a value (" + d.valueName() + ")");
            }
        }
        return this;
    }

    /**
     * For a program's {@code main}: parses, and on {@code --help} prints the usage and exits 0, on a bad argument
     * prints the problem and exits 2.
     */
    public Options parseOrExit(String... args) {
        try {
            parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(program + ": " + e.getMessage());
            System.err.println("Try '" + program + " --help'.");
            System.exit(2);
        }
        if (helpRequested) {
            printHelp(System.out);
            System.exit(0);
        }
        return this;
    }

    public boolean helpRequested() {
        return helpRequested;
    }

    public boolean has(String name) {
        return raw(name) != null;
    }

    public String string(String name) {
        String v = raw(name);
        if (v == null) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return v;
    }

    public int integer(String name) {
        return (int) longValue(name);
    }

    public long longValue(String name) {
        String v = string(name);
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " expects a whole number, got '" + v + "'");
        }
    }

    /** A duration given in (possibly fractional) seconds. */
    public Duration seconds(String name) {
        String v = string(name);
        try {
            return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " expects seconds, got '" + v + "'");
        }
    }

    /** A comma-separated list of whole numbers, e.g. {@code 1,100,1000}. */
    public List<Integer> integers(String name) {
        List<Integer> list = new ArrayList<>();
        for (String part : string(name).split(",")) {
            try {
                list.add(Integer.parseInt(part.trim().replace("_", "")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option --" + name + " expects numbers like 1,100, got '"
                        + string(name) + "'");
            }
        }
        return list;
    }

    public boolean flagSet(String name) {
        return values.containsKey(name);
    }

    public void printHelp(PrintStream out) {
        out.println("Usage: " + program + " [OPTION]..."
                + (positional == null ? "" : " [" + declared.get(positional).valueName() + "]"));
        out.println(summary);
        out.println();
        for (Declared d : declared.values()) {
            String left = "  --" + d.name() + (d.isFlag() ? "" : " " + d.valueName());
            String right = d.description() + (d.defaultValue() != null ? " (default " + d.defaultValue() + ")" : "");
            out.printf("%-28s %s%n", left, right);
        }
        out.printf("%-28s %s%n", "  --help", "print this help and exit");
    }

    private String raw(String name) {
        if (!declared.containsKey(name)) {
            throw new IllegalStateException("option --" + name + " was never declared");
        }
        String v = values.get(name);
        return v != null ? v : declared.get(name).defaultValue();
    }
}
