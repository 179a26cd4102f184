import type { FromRunBody, FromRunResult } from '@berth/contract';
import { composeDocument, composeYaml, imageServiceKey, serviceKey } from './compose-file.js';
import { composeService } from './compose-service.js';
import { parseDockerRun } from './run-command.js';

/** A pasted `docker run` as a compose file of one service. Pure: no engine, no files. */
export function composeFromRun(body: FromRunBody): FromRunResult {
  const draft = parseDockerRun(body.command);
  const name =
    body.name ??
    (draft.spec.name ? serviceKey(draft.spec.name) : imageServiceKey(draft.spec.image ?? ''));
  const converted = { name, ...composeService(draft) };
  if (JSON.stringify(converted).includes('$')) {
    draft.warnings.push({
      flag: '$',
      message:
        "a $ is kept as written (doubled to $$ in the file); write ${NAME} to take a value from the stack's .env",
    });
  }
  const document = composeDocument([converted]);
  const services = document.services as Record<string, Record<string, unknown>>;
  return {
    yaml: composeYaml(document),
    service: { name, definition: services[name] ?? {} },
    warnings: draft.warnings,
  };
}
