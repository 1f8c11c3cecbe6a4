// Decap waits for towncat.js, which registers the YAML format before starting it.
window.CMS_MANUAL_INIT = true;
