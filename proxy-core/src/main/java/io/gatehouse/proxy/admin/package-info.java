/** The plain-HTTP admin listener: health now, metrics later. Never exposed on a public network. */
package io.gatehouse.proxy.admin;
