import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface HandSetSecretProps {
  readonly secretName: string;
  readonly description: string;
  /** Length of the random value deploy puts until the operator puts the real one. */
  readonly passwordLength: number;
  /** Why a rotation Lambda cannot rotate it (the cdk-nag SMG4 acknowledgement). */
  readonly whyNotRotated: string;
}

/**
 * A secret whose value a person puts after deploy (a platform's key or webhook URL): created with
 * a random placeholder, retained when the stack is deleted, never rotated by a Lambda.
 */
export function handSetSecret(scope: Construct, id: string, props: HandSetSecretProps): Secret {
  const secret = new Secret(scope, id, {
    secretName: props.secretName,
    description: props.description,
    generateSecretString: { passwordLength: props.passwordLength, excludePunctuation: true },
    // The value is put by hand after deploy; deleting the stack must not lose it.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.whyNotRotated });
  return secret;
}
