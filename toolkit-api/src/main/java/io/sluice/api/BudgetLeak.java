package io.sluice.api;

import java.util.List;

/**
 * A connection closed with buffers outstanding.
 *
 * @param budget the budget's name (the connection id)
 * @param bytes outstanding bytes at close
 * @param buffers outstanding buffers at close
 * @param stages for up to eight leaked buffers, the last stage that touched each (empty when buffers are not tracked)
 * @param tracked whether the budget tracked buffers, so that {@code stages} is meaningful
 */
public record BudgetLeak(String budget, long bytes, int buffers, List<String> stages, boolean tracked) {

    public BudgetLeak {
        stages = List.copyOf(stages);
    }

    /** The one log line for this leak. */
    public String message() {
        StringBuilder sb = new StringBuilder()
                .append("LEAK: connection ").append(budget).append(" closed with ")
                .append(bytes).append(" bytes outstanding in ").append(buffers).append(" buffer(s)");
        if (!tracked) {
            sb.append("; run with -Dio.netty.leakDetection.level=advanced to name the stage that last touched each");
        } else if (!stages.isEmpty()) {
            sb.append("; last touched by: ").append(String.join("; ", stages));
        }
        return sb.toString();
    }
}
