package io.sluice.spring.boot.autoconfigure;

import io.sluice.spring.boot.SluiceServerBindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a Sluice server that could not bind, naming the server, its address and the property to change. */
class SluiceServerBindFailureAnalyzer extends AbstractFailureAnalyzer<SluiceServerBindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SluiceServerBindException cause) {
        String port = PropertyCheck.prefixOf(cause.serverName()) + ".port";
        String host = PropertyCheck.prefixOf(cause.serverName()) + ".host";
        if (cause.addressInUse() && cause.host() != null) {
            return new FailureAnalysis("Sluice server '" + cause.serverName() + "' could not start: "
                    + cause.host() + ":" + cause.port() + " is already in use.",
                    "Stop the process listening on port " + cause.port() + ", or set " + port
                            + " to another port (0 picks a free one).", cause);
        }
        return new FailureAnalysis(cause.getMessage() + ".", "Check " + host + " (an address of this machine) and "
                + port + " (ports below 1024 need privileges).", cause);
    }
}
