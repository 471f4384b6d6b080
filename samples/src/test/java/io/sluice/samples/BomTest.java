package io.sluice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM ({@code toolkit-bom}) manages exactly the artifacts the build publishes, each at the project's version:
 * every module of the parent pom except those that skip deployment (samples, benchmarks) and the BOM itself. A new
 * module left out of the BOM, or one listed that no longer exists, fails here.
 */
class BomTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void managesEveryPublishedModuleAtTheProjectsVersion() throws Exception {
        Document parent = read(ROOT.resolve("pom.xml"));
        String version = text(parent.getDocumentElement(), "version");
        TreeSet<String> published = new TreeSet<>();
        for (String module : texts(child(parent.getDocumentElement(), "modules"), "module")) {
            Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
            String artifact = text(pom, "artifactId");
            Element properties = child(pom, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if (!skipped && !artifact.equals("toolkit-bom")) {
                published.add(artifact);
            }
        }
        Element bom = read(ROOT.resolve("toolkit-bom/pom.xml")).getDocumentElement();
        TreeSet<String> managed = new TreeSet<>();
        for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("io.sluice");
            assertThat(text(dependency, "version")).as(text(dependency, "artifactId")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }

        assertThat(published).as("published modules").contains("toolkit-api", "toolkit-websocket");
        assertThat(managed).as("artifacts the BOM manages").isEqualTo(published);
        assertThat(text(bom, "version")).as("the BOM's version").isEqualTo(version);
        assertThat(child(bom, "parent")).as("a parent, whose dependencyManagement importers would inherit").isNull();
    }

    private static Document read(Path pom) throws Exception {
        assertThat(pom).exists();
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(pom));
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent, name).stream().map(e -> e.getTextContent().trim()).toList();
    }
}
