/**
 * Node-RED plugin (package.json `node-red.plugins`): the editor's TinyML sidebar. The runtime part
 * registers the admin endpoints it reads; the editor part is tinyml-sidebar.html beside this file.
 */
import { registerAdminEndpoints, type AdminAPI } from './tinyml-admin';

interface PluginAPI extends AdminAPI {
  plugins: { registerPlugin(id: string, definition: Record<string, unknown>): void };
}

export = function register(RED: PluginAPI): void {
  RED.plugins.registerPlugin('tinyml-sidebar', { type: 'tinyml-sidebar' });
  registerAdminEndpoints(RED);
};
