/** Image references as Docker reads them: the contract's parser, shared with the web form. */
export {
  DOCKER_HUB,
  DOCKER_HUB_ALIASES,
  InvalidReferenceError,
  parseImageReference,
  REGISTRY_HOST,
  type ImageReference,
} from '@berth/contract';
