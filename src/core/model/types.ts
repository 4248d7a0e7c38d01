/**
 * A model is described by plain data (ids and numbers, never functions), so the store, the
 * URL, saved experiments and the worker protocol can all hold it.
 */

export type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'selu' | 'softplus';
export type Padding = 'valid' | 'same';

export interface DenseSpec { type: 'dense'; units: number; activation: Activation }
export interface Conv2DSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: number;
  strides: number;
  padding: Padding;
  activation: Activation;
}
export interface MaxPooling2DSpec { type: 'maxPooling2d'; poolSize: number; strides: number; padding: Padding }
export interface FlattenSpec { type: 'flatten' }
export interface DropoutSpec { type: 'dropout'; rate: number }
export interface BatchNormalizationSpec { type: 'batchNormalization'; momentum: number; epsilon: number }
export interface ActivationSpec { type: 'activation'; activation: Activation }

export type LayerSpec =
  | DenseSpec
  | Conv2DSpec
  | MaxPooling2DSpec
  | FlattenSpec
  | DropoutSpec
  | BatchNormalizationSpec
  | ActivationSpec;

export type LayerType = LayerSpec['type'];

/** A sequential stack of layers; the input shape comes from the dataset. */
export interface ModelSpec {
  layers: LayerSpec[];
}
