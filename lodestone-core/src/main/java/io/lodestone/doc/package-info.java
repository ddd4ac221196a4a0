/**
 * The data model: document ids, attribute types and schemas, documents. Pure values with no I/O;
 * everything else depends on this package and it depends on nothing of Lodestone's.
 */
package io.lodestone.doc;
