package io.sluice.filters.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.util.Native;

/**
 * Loads the native codec libraries once, on the thread that builds the first {@link Compression} filter of that
 * codec (at startup, never an event loop: loading extracts a file and links it), and turns a missing optional
 * dependency or native library into one clear error there, instead of a failure on the first connection. Each probe
 * also creates and frees one encoder and decoder, so that every class the data path uses is initialized here.
 */
final class NativeLibraries {

    private NativeLibraries() {
    }

    /** Throws {@link IllegalStateException} naming the artifact to add if {@code codec} cannot run here. */
    static void require(Codec codec) {
        Throwable problem;
        try {
            problem = switch (codec) {
                case BROTLI -> BrotliProbe.PROBLEM;
                case ZSTD -> ZstdProbe.PROBLEM;
                default -> null;
            };
        } catch (LinkageError e) {
            problem = e; // the probe class itself could not be linked
        }
        if (problem != null) {
            throw unavailable(codec, problem);
        }
    }

    /** The error for {@code codec} failing to load with {@code cause}. */
    static IllegalStateException unavailable(Codec codec, Throwable cause) {
        String artifacts = switch (codec) {
            case BROTLI -> "com.aayushatharva.brotli4j:brotli4j and the native library of this platform, "
                    + "com.aayushatharva.brotli4j:native-" + platform() + " (version 1.18.0)";
            case ZSTD -> "com.github.luben:zstd-jni (version 1.5.7-4)";
            default -> throw new IllegalArgumentException(codec.label() + " needs no native library");
        };
        return new IllegalStateException(codec.label() + " compression is not available: add " + artifacts
                + " to the class path (" + cause + ")", cause);
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String family = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "osx" : "linux";
        return family + "-" + ("amd64".equals(arch) || "x86_64".equals(arch) ? "x86_64" : arch);
    }

    /** Runs once, when first asked about brotli. */
    private static final class BrotliProbe {
        static final Throwable PROBLEM = probe();

        private static Throwable probe() {
            try {
                Brotli4jLoader.ensureAvailability();
                new EncoderJNI.Wrapper(64, 0, BrotliEncoder.DEFAULT_WINDOW, null).destroy();
                new DecoderJNI.Wrapper(64).destroy();
                return null;
            } catch (LinkageError | Exception e) {
                return e;
            }
        }
    }

    /** Runs once, when first asked about zstd. */
    private static final class ZstdProbe {
        static final Throwable PROBLEM = probe();

        private static Throwable probe() {
            try {
                Native.load();
                new ZstdCompressCtx().close();
                new ZstdDecompressCtx().close();
                return null;
            } catch (LinkageError | RuntimeException e) {
                return e;
            }
        }
    }
}
