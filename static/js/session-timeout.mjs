// Warns before the idle timeout and offers to stay signed in. Without JavaScript the
// session still ends after 15 minutes idle, and the sign-in page explains why.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const statusUrl = dialog.dataset.statusUrl;
  const warningBefore = Number(dialog.dataset.warningBefore) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const announcement = dialog.querySelector("[data-countdown-announcement]");
  const form = dialog.querySelector("form:not([data-session-ended])");
  let deadline = Date.now() + Number(dialog.dataset.idleTimeout) * 1000;
  let timer = null;
  let lastAnnouncedMinute = null;

  // Words come from the page, translated by Django.
  const text = dialog.dataset;
  const describe = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return minutes === 1 ? text.oneMinute : text.minutes.replace("{n}", minutes);
    }
    return seconds === 1 ? text.oneSecond : text.seconds.replace("{n}", seconds);
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, deadline - warningBefore - Date.now()));
  };

  // Another tab may have kept the session alive: ask the server before warning.
  let failures = 0;
  const check = async () => {
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" } });
      if (response.status === 401) return expire();
      if (!response.ok) throw new Error(`status ${response.status}`);
      const status = await response.json();
      failures = 0;
      deadline = Date.now() + status.seconds_left * 1000;
      if (status.seconds_left * 1000 > warningBefore + 5000) return schedule();
      open();
    } catch {
      // The server is restarting or unreachable: warn anyway, and try again later.
      failures += 1;
      open();
      clearTimeout(retry);
      retry = setTimeout(check, Math.min(60000, 5000 * 2 ** failures));
    }
  };
  let retry = null;

  const tick = () => {
    if (!dialog.open) return;
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = describe(left);
    const minute = Math.ceil(left / 60);
    if (minute !== lastAnnouncedMinute && left > 0) {
      lastAnnouncedMinute = minute;
      announcement.textContent = text.announce.replace("{time}", describe(left));
    }
    if (left <= 0) return expire();
    timer = setTimeout(tick, 1000);
  };

  const open = () => {
    if (dialog.open) return;
    dialog.showModal();
    tick();
  };

  // Time is up and nobody pressed "Stay signed in": sign out now, by posting the hidden
  // form (signing out is never a GET). A plain reload would count as activity if it
  // arrived a moment early, and keep an idle session alive.
  const endedForm = dialog.querySelector("form[data-session-ended]");
  const expire = () => endedForm.submit();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
      });
      const json = (response.headers.get("Content-Type") || "").includes("json");
      if (!response.ok || !json) return expire(); // already signed out: say why
      const status = await response.json();
      deadline = Date.now() + status.seconds_left * 1000;
      dialog.close();
      lastAnnouncedMinute = null;
      schedule();
    } catch {
      form.submit(); // no network from script: the plain form still works
    }
  });

  dialog.addEventListener("cancel", (event) => event.preventDefault());
  schedule();
}
