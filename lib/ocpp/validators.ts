import { createRequire } from 'node:module';
import { createRPCError, createValidator } from 'ocpp-rpc';

type Validator = ReturnType<typeof createValidator>;

const require = createRequire(import.meta.url);

/**
 * Strict-mode validators over the official OCA JSON schemas that ship with ocpp-rpc (unmodified).
 * One difference from ocpp-rpc's own: a CALL whose action has no schema in the version is answered
 * NotImplemented ("Requested Action is not known by receiver", OCPP-J §4.2.3) instead of
 * ProtocolError. Known actions without a handler get NotSupported from the endpoint.
 */
function actionAwareValidator(subprotocol: string, schemaFile: string): Validator {
  const schemas = require(`ocpp-rpc/lib/schemas/${schemaFile}`) as { $id: string }[];
  const known = new Set(schemas.map((s) => s.$id));
  const base = createValidator(subprotocol, schemas);
  return {
    get subprotocol() {
      return base.subprotocol;
    },
    validate(schemaId: string, params: unknown) {
      if (!known.has(schemaId)) {
        const action = schemaId.replace(/^urn:/, '').replace(/\.(req|conf)$/, '');
        throw createRPCError('NotImplemented', `${action} is not an action of ${subprotocol}`);
      }
      return base.validate(schemaId, params);
    },
  } as Validator;
}

export const ocppValidators: Validator[] = [
  actionAwareValidator('ocpp1.6', 'ocpp1_6.json'),
  actionAwareValidator('ocpp2.0.1', 'ocpp2_0_1.json'),
];
