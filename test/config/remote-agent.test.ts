// Agents with `host:` (issue 17): the file's rules for host and ssh_options, and a remote directory kept as written.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { resolveAgent } from '../../src/config/resolve.js';
import { parseAgentOptions, parseNewAgent } from '../../src/config/validate.js';

const parse = (yaml: string) => parseConfigText(yaml, { file: '/home/u/.config/agent-dispatch/agents.yaml', homedir: '/home/u' });

describe('a remote agent in agents.yaml', () => {
  it('keeps its directory as a path on the host and resolves host and ssh_options for the runner', () => {
    const { config } = parse('agents:\n  api:\n    directory: ~/srv/api\n    host: deploy@dev:2222\n    ssh_options: [IdentityFile=~/.ssh/id_dev]\n  local:\n    directory: ~/p\n');
    expect(resolveAgent(config, 'api')).toMatchObject({ directory: '~/srv/api', host: 'deploy@dev:2222', sshOptions: ['IdentityFile=~/.ssh/id_dev'] });
    expect(resolveAgent(config, 'local')).toMatchObject({ directory: '/home/u/p' });
    expect(resolveAgent(config, 'local').host).toBeUndefined();
  });

  it.each([
    ['host: "-oProxyCommand=x"', /agents\.api\.host.*starts with "-"/s],
    ['host: "dev; id"', /agents\.api\.host/],
    ['ssh_options: [ProxyCommand=nc %h %p]', /ProxyCommand is not an allowed option/],
    ['ssh_options: [StrictHostKeyChecking=no]', /host key checking stays on/],
    ['ssh_options: ["LocalCommand=id"]', /LocalCommand is not an allowed option/],
  ])('refuses %s', (line, message) => {
    expect(() => parse(`agents:\n  api:\n    directory: /srv/api\n    ${line}\n`)).toThrow(message);
  });
});

describe('host in add and update options', () => {
  const where = { cwd: '/here', homedir: '/home/u' };
  it('keeps a remote directory as written and does not look for it here', () => {
    expect(parseNewAgent({ directory: '/srv/nowhere-here', host: 'dev' }, where)).toMatchObject({ directory: '/srv/nowhere-here', host: 'dev' });
  });

  it.each([
    [{ directory: 'rel/path', host: 'dev' }, /absolute/],
    [{ directory: '/srv', host: 'bad host' }, /Invalid host/],
  ])('refuses %j', (values, message) => expect(() => parseNewAgent(values, where)).toThrow(message));

  it('treats a new directory of an agent that already runs on a host as a remote path', () => {
    expect(parseAgentOptions({ directory: '~/x' }, { mode: 'update', ...where, remote: true })).toEqual({ directory: '~/x' });
    expect(parseAgentOptions({ directory: '~/x' }, { mode: 'update', ...where })).toEqual({ directory: '/home/u/x' });
  });
});
