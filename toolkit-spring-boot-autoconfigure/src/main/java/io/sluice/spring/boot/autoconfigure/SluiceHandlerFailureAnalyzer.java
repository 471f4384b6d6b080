package io.sluice.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains Handler beans that do not match the configured servers. */
class SluiceHandlerFailureAnalyzer extends AbstractFailureAnalyzer<SluiceHandlerException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SluiceHandlerException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
