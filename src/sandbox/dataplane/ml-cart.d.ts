// ml-cart ships no type declarations; this covers the part the iris model uses.
declare module 'ml-cart' {
  export interface DecisionTreeOptions {
    gainFunction?: 'gini';
    splitFunction?: 'mean';
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }
  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeOptions);
    train(features: number[][], labels: number[]): void;
    predict(features: number[][]): number[];
  }
}
