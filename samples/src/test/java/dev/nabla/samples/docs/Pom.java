package dev.nabla.samples.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The few things of a pom.xml the documentation tests read. */
record Pom(Element project) {
    static Pom read(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new Pom(factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e, e);
        }
    }

    String groupId() {
        return text(project, "groupId");
    }

    String artifactId() {
        return text(project, "artifactId");
    }

    String version() {
        return text(project, "version");
    }

    boolean hasParent() {
        return child(project, "parent") != null;
    }

    String property(String name) {
        Element properties = child(project, "properties");
        return properties == null ? null : text(properties, name);
    }

    List<String> modules() {
        List<String> modules = new ArrayList<>();
        Element list = child(project, "modules");
        if (list != null) {
            children(list, "module").forEach(m -> modules.add(m.getTextContent().trim()));
        }
        return modules;
    }

    /** groupId:artifactId:version of each dependencyManagement entry, as written. */
    List<String> managedDependencies() {
        List<String> managed = new ArrayList<>();
        Element management = child(project, "dependencyManagement");
        if (management != null) {
            for (Element d : children(child(management, "dependencies"), "dependency")) {
                managed.add(text(d, "groupId") + ":" + text(d, "artifactId") + ":" + text(d, "version"));
            }
        }
        return managed;
    }

    /** artifactId=version of each plugin in build/pluginManagement. */
    List<String> managedPlugins() {
        List<String> plugins = new ArrayList<>();
        Element build = child(project, "build");
        Element management = build == null ? null : child(build, "pluginManagement");
        if (management != null) {
            for (Element p : children(child(management, "plugins"), "plugin")) {
                plugins.add(text(p, "artifactId") + "=" + text(p, "version"));
            }
        }
        return plugins;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }
}
