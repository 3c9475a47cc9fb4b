// Remembers the dark-mode choice in localStorage; without a choice, follows the system setting.
const key = 'dynodashboard.dark';

export function getDarkMode() {
    const stored = window.localStorage.getItem(key);
    if (stored === 'true' || stored === 'false') {
        return stored === 'true';
    }
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function setDarkMode(dark) {
    window.localStorage.setItem(key, dark ? 'true' : 'false');
}
