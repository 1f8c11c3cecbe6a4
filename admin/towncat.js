// Starts the editing form: the towncat YAML format first, then Decap (config.yml beside this page).
import { yamlFormat } from './format.js';

const CMS = window.CMS || window.DecapCms;
CMS.registerCustomFormat('towncat-yaml', 'yaml', yamlFormat);
CMS.init();
