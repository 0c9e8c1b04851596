package org.canopymesh.deploy.k8s;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the fields that the model did not know. fabric8's classes keep unknown properties in an
 * {@code additionalProperties} map (a {@code @JsonAnySetter}), so Jackson's
 * FAIL_ON_UNKNOWN_PROPERTIES never fires for them: {@code readinesProbe} would be kept there
 * silently. This walks the object graph through the getters of the model classes (and the
 * components of our records) and reports every non-empty such map with its path.
 */
final class UnknownFields {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private final List<String> found = new ArrayList<>();
  private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());

  private UnknownFields() {}

  /** Paths like {@code spec.template.spec.containers[0].readinesProbe}; empty when all known. */
  static List<String> in(Object root) {
    UnknownFields walk = new UnknownFields();
    walk.visit(root, "");
    return walk.found;
  }

  private void visit(Object value, String path) {
    if (value == null || !seen.add(value)) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        visit(list.get(i), path + "[" + i + "]");
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> visit(v, join(path, String.valueOf(k))));
    } else if (value instanceof Record record) {
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        visit(invoke(c.getAccessor(), record), join(path, c.getName()));
      }
    } else if (value.getClass().getName().startsWith(MODEL_PACKAGE)) {
      visitModel(value, path);
    }
  }

  private void visitModel(Object model, String path) {
    for (Method m : model.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || m.getDeclaringClass() == Object.class
          || !m.getName().startsWith("get")) {
        continue;
      }
      Object v = invoke(m, model);
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> found.add(join(path, String.valueOf(k))));
        }
      } else {
        visit(v, join(path, property(m.getName())));
      }
    }
  }

  private static Object invoke(Method m, Object target) {
    try {
      return m.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + m + " of " + target.getClass(), e);
    }
  }

  private static String property(String getter) {
    String name = getter.substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
