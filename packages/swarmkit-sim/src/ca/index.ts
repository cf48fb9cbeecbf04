// The CA, identity and keys of the simulated SwarmKit: a pure library over a caller-supplied
// random source and simulated time (see README.md in this folder).
export type { RandomSource } from "./random";
export {
  CA_ROLE,
  CERT_BACKDATE_MS,
  type CertRole,
  certRoleOf,
  DEFAULT_NODE_CERT_EXPIRATION_MS,
  MANAGER_ROLE,
  MIN_CERT_EXPIRY_ERROR,
  MIN_NODE_CERT_EXPIRATION_MS,
  type NodeRole,
  nodeRoleOf,
  ROOT_CA_EXPIRATION_MS,
  WORKER_ROLE,
} from "./constants";
export { formatRaftId, isId, newId, newRaftId, parseRaftId } from "./identity";
export {
  generateKeyPair,
  type KeyPair,
  keyPairFromPem,
  keyPairFromSeed,
  type PublicKeyInput,
  publicKeyPemOf,
  rawPublicKey,
  signingKeyFromPem,
} from "./keys";
export { DEFAULT_EPOCH_MS, formatRfc3339, simMs, wallMs } from "./x509-time";
export {
  type CertificateInfo,
  certificateInfo,
  certIssuerInfo,
  clearCertificateCache,
  type DistinguishedName,
  infoOf,
  MalformedCertificateError,
  type ParsedCertificate,
  parseCertificate,
  parseCertificateBundle,
} from "./certificate";
export {
  certificateSignedBy,
  type ChainVerification,
  EXPIRED_PREFIX,
  SIGNATURE_FAILURE,
  UNKNOWN_AUTHORITY,
  verifyChain,
  type VerifyOptions,
} from "./verify";
export { type IssuedCertificate, type NodeCertificateRequest, RootCA, type RootCAMaterial } from "./rootca";
export {
  finishRootRotation,
  type RootCAState,
  type RootRotation,
  rootCAFromState,
  startRootRotation,
} from "./rotation";
export {
  caDigest,
  checkRemoteCA,
  constantTimeEqual,
  generateJoinToken,
  INVALID_JOIN_TOKEN,
  JOIN_TOKEN_REQUIRED,
  matchJoinToken,
  type ParsedJoinToken,
  parseJoinToken,
} from "./jointoken";
export { METHOD_AUTHORIZATION, type MethodAuthorization, methodAuthorization } from "./methods";
export {
  type AuthError,
  type AuthorizeInput,
  type AuthorizeResult,
  authenticateRequest,
  authorizeRoles,
  type Blacklist,
  type ForwardedIdentity,
  type GrpcCode,
  grpcErrorText,
  type HandshakeInput,
  type HandshakeResult,
  isBlacklisted,
  type PeerIdentity,
  type RequestInput,
  type RequestResult,
  tlsHandshake,
} from "./auth";
export {
  CERT_LOWER_ROTATION_RANGE,
  CERT_UPPER_ROTATION_RANGE,
  calculateRandomExpiry,
  FORCED_RENEWAL_DELAY_MS,
  RENEW_BACKOFF,
  RENEW_DEFAULT_RETRY_MS,
  renewalBackoff,
  renewalDelay,
} from "./renewal";
export {
  decryptRecord,
  type EncryptedRecord,
  encryptRecord,
  formatUnlockKey,
  generateDek,
  generateUnlockKey,
  INVALID_KEY_STRING,
  InvalidKekError,
  NODE_LOCKED,
  openDek,
  parseUnlockKey,
  RECORD_ALGORITHM,
  rekeyDek,
  sealDek,
  type StoredDek,
  UNLOCK_INVALID_KEY,
} from "./autolock";
export {
  initialKeyRing,
  KEY_ROTATION_INTERVAL_MS,
  KEYRING_SIZE,
  type KeySubsystem,
  NETWORK_KEY_BYTES,
  type NetworkKey,
  type NetworkKeyRing,
  rotateKeyRing,
  SUBSYSTEM_GOSSIP,
  SUBSYSTEM_IPSEC,
  SUBSYSTEMS,
} from "./keymanager";
