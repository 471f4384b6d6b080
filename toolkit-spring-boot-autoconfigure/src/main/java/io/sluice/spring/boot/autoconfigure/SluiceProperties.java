package io.sluice.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code sluice.*}: the application's Sluice servers, by name.
 *
 * <pre>
 * sluice:
 *   servers:
 *     chat:
 *       port: 9000
 *       compression:
 *         codec: gzip
 * </pre>
 *
 * Each server binds when the application context starts and serves the {@link io.sluice.api.Handler} bean marked
 * {@link io.sluice.spring.boot.SluiceHandler @SluiceHandler("chat")}.
 */
@ConfigurationProperties("sluice")
public class SluiceProperties {

    /**
     * Sluice servers by name. Each binds when the application context starts, serving the Handler bean annotated
     * {@code @SluiceHandler("<name>")}.
     */
    private Map<String, SluiceServerProperties> servers = new LinkedHashMap<>();

    public Map<String, SluiceServerProperties> getServers() {
        return servers;
    }

    public void setServers(Map<String, SluiceServerProperties> servers) {
        this.servers = servers;
    }
}
