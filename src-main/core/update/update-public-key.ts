/**
 * The Ed25519 public key that signs Neurosphere's offline update bundles (docs/updating.md).
 * It is compiled into the app, so a bundle can only be applied if it was signed with the
 * matching private key, which the release manager keeps offline and never in this repository.
 * Rotating the key means shipping a release (signed with the old key) that carries the new one.
 */
export const UPDATE_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAEvmZFuGSJ+jg9DgP89quPY2BWaD7D5JgkHc2NjS/iPQ=
-----END PUBLIC KEY-----
`;
