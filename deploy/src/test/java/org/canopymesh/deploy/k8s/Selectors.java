package org.canopymesh.deploy.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.Map;

/** Label selector matching as the API server does it. */
final class Selectors {
  private Selectors() {}

  /** A null selector matches nothing; an empty one matches everything. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream()
            .allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
      return false;
    }
    return selector.getMatchExpressions() == null
        || selector.getMatchExpressions().stream().allMatch(r -> matches(r, l));
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
    String v = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> v != null && r.getValues().contains(v);
      case "NotIn" -> v == null || !r.getValues().contains(v);
      case "Exists" -> v != null;
      case "DoesNotExist" -> v == null;
      default -> throw new IllegalArgumentException("operator " + r.getOperator());
    };
  }

  /** Whether the selector names at least one label or expression, i.e. is not "every pod". */
  static boolean isSpecific(LabelSelector selector) {
    return selector != null
        && ((selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty())
            || (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()));
  }
}
