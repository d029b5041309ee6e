// Progressive enhancement of form steps: a field with data-condition is hidden while its condition does not hold.
// Without JavaScript every field is shown with a hint saying when it is needed; the server validates either way.
(function () {
  "use strict";

  function answer(form, name) {
    const inputs = form.querySelectorAll("[name='" + CSS.escape(name) + "']");
    if (inputs.length === 0) return undefined;
    const first = inputs[0];
    if (first.type === "radio") {
      const checked = form.querySelector("[name='" + CSS.escape(name) + "']:checked");
      return checked ? checked.value : undefined;
    }
    if (first.type === "checkbox" && inputs.length === 1) return first.checked ? "true" : "false";
    if (first.type === "checkbox") {
      return Array.from(inputs).filter((input) => input.checked).map((input) => input.value);
    }
    return first.value;
  }

  // Returns undefined when the condition names a field of another step: the server decided that already.
  function holds(form, condition) {
    if (condition.all) return condition.all.every((part) => holds(form, part) !== false);
    if (condition.any) return condition.any.some((part) => holds(form, part) !== false);
    const value = answer(form, condition.field);
    if (value === undefined && !form.querySelector("[name='" + CSS.escape(condition.field) + "']")) return undefined;
    const text = (v) => String(v);
    if ("equals" in condition) return text(value) === text(condition.equals);
    if ("not_equals" in condition) return text(value) !== text(condition.not_equals);
    return condition.in.map(text).includes(text(value));
  }

  function update(form) {
    form.querySelectorAll("[data-condition]").forEach((field) => {
      const shown = holds(form, JSON.parse(field.dataset.condition));
      field.hidden = shown === false;
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form.application-form").forEach((form) => {
      update(form);
      form.addEventListener("change", () => update(form));
    });
  });
})();
