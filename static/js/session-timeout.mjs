// Warns before the idle timeout and offers to stay signed in. Without JavaScript the
// session still ends after 15 minutes idle, and the sign-in page explains why.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const statusUrl = dialog.dataset.statusUrl;
  const warningBefore = Number(dialog.dataset.warningBefore) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  const announcement = dialog.querySelector("[data-countdown-announcement]");
  const form = dialog.querySelector("form");
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
  const check = async () => {
    try {
      const response = await fetch(statusUrl, { headers: { Accept: "application/json" } });
      if (response.status === 401) return expire();
      const status = await response.json();
      deadline = Date.now() + status.seconds_left * 1000;
      if (status.seconds_left * 1000 > warningBefore + 5000) return schedule();
      open();
    } catch {
      schedule();
    }
  };

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
    if (!dialog.open) dialog.showModal();
    tick();
  };

  // Reloading lets the server sign the person out and explain why on the sign-in page.
  const expire = () => window.location.reload();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return expire();
      const status = await response.json();
      deadline = Date.now() + status.seconds_left * 1000;
      dialog.close();
      lastAnnouncedMinute = null;
      schedule();
    } catch {
      form.submit();
    }
  });

  dialog.addEventListener("cancel", (event) => event.preventDefault());
  schedule();
}
