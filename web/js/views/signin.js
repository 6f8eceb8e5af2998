// Sign-in: paste a token (kept in sessionStorage for this tab), or open the URL `drover up` prints.
import { h, field } from "../dom.js";
import { parseRoute } from "../lib/router.js";

export default {
  title: () => "Sign in",
  body(ctx, route) {
    const input = h("input", { type: "password", autocomplete: "off", name: "token", required: true });
    const form = h("form", { class: "signin", "aria-labelledby": "signin-title", onsubmit: (event) => {
      event.preventDefault();
      ctx.setToken(input.value.trim());
      ctx.signInMessage = "";
      const next = route.query.next && parseRoute("#" + route.query.next).view !== "signin" ? route.query.next : "/overview";
      location.hash = next;
    } },
    h("h2", { id: "signin-title" }, "Sign in"),
    ctx.signInMessage ? h("p", { class: "error", id: "signin-message", role: "alert" }, ctx.signInMessage) : null,
    h("p", {}, "Paste an API token. ", h("code", {}, "drover up"), " prints a dashboard URL that carries one, and keeps the admin token in ",
      h("code", {}, "~/.drover/admin-token"), "."),
    field("API token", input, "token"),
    h("button", { type: "submit" }, "Sign in"));
    queueMicrotask(() => input.focus());
    return form;
  },
};
