// ml-cart ships no type declarations; this covers the part the iris model uses.
declare module 'ml-cart' {
  export interface DecisionTreeOptions {
    gainFunction?: 'gini';
    splitFunction?: 'mean';
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }
  /** A node of a trained tree, as `toJSON().root` exports it: a split (left and right), or a leaf. */
  export interface TreeNode {
    splitColumn: number;
    splitValue: number;
    left?: TreeNode;
    right?: TreeNode;
    /** A leaf's class counts (a one-row ml-matrix): maxRowIndex(0) is [row, class]. */
    distribution: { maxRowIndex(row: number): [number, number] };
  }
  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeOptions);
    train(features: number[][], labels: number[]): void;
    predict(features: number[][]): number[];
    toJSON(): { options: DecisionTreeOptions; root: TreeNode; name: string };
  }
}
