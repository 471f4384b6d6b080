package io.sluice.samples;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

/** {@link SpringChatApplicationTest}'s checks with the room's WebSocket on a Sluice port of its own. */
@SpringBootTest(classes = SpringChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"server.port=0", "sluice.servers.chat.websocket.mount=port", "sluice.servers.chat.port=0"})
@DirtiesContext
class SpringChatOnItsOwnPortTest extends SpringChatApplicationTest {
}
