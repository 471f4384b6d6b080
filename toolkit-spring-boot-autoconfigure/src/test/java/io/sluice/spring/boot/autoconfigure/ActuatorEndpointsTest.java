package io.sluice.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Handler;
import io.sluice.spring.boot.SluiceHandler;
import io.sluice.spring.boot.SluiceServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebFlux application with the actuator: its health and metrics endpoints, served on its own HTTP port, report
 * the Sluice servers running beside it.
 */
@SpringBootTest(classes = ActuatorEndpointsTest.WebApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
                "sluice.servers.echo.port=0",
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always"
        })
@DirtiesContext
class ActuatorEndpointsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int httpPort;

    @Autowired
    SluiceServers servers;

    @Test
    void healthEndpointReportsEachServerBoundWithItsAddressAndConnections() throws Exception {
        int port = servers.get("echo").port();
        long acceptedBefore = servers.get("echo").metrics().accepted();
        assertThat(EchoPeer.roundTrip(port, "health check")).isEqualTo("health check");
        awaitNoConnection();

        Map<String, Object> health = get("/actuator/health");
        assertThat(health).containsEntry("status", "UP");
        Map<String, Object> sluice = child(child(health, "components"), "sluice");
        assertThat(sluice).containsEntry("status", "UP");
        Map<String, Object> echo = child(child(child(sluice, "details"), "servers"), "echo");
        assertThat(echo).containsEntry("bound", true)
                .containsEntry("address", "127.0.0.1:" + port)
                .containsEntry("accepted", (int) acceptedBefore + 1)
                .containsEntry("connections", 0)
                .containsEntry("leaks", 0);
    }

    @Test
    void metricsEndpointReportsEachServersMetersTaggedWithItsName() throws Exception {
        long acceptedBefore = servers.get("echo").metrics().accepted();
        EchoPeer.roundTrip(servers.get("echo").port(), "measure me");
        awaitNoConnection();

        assertThat(value("sluice.connections.accepted")).isEqualTo(acceptedBefore + 1.0);
        assertThat(value("sluice.bytes.out")).isGreaterThanOrEqualTo("measure me".length());
        assertThat(value("sluice.connections.active")).isZero();
        assertThat(value("sluice.leaks")).isZero();
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) get("/actuator/metrics").get("names");
        assertThat(names).contains("sluice.connections.accepted", "sluice.connections.refused",
                "sluice.connections.closed", "sluice.buffers.outstanding", "sluice.bytes.in", "sluice.leaks.process");
    }

    /** The server finishes closing a connection shortly after its client has. */
    private void awaitNoConnection() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (servers.get("echo").connections().active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private double value(String meter) throws Exception {
        Map<String, Object> metric = get("/actuator/metrics/" + meter + "?tag=name:echo");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> measurements = (List<Map<String, Object>>) metric.get("measurements");
        return ((Number) measurements.get(0).get("value")).doubleValue();
    }

    private Map<String, Object> get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = JSON.readValue(response.body(), Map.class);
        return body;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WebApplication {
        @Bean
        @SluiceHandler("echo")
        Handler echo() {
            return c -> c.send(c.receive());
        }
    }
}
